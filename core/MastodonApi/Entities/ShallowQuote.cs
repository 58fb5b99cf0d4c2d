namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>ShallowQuote (docs: entities/ShallowQuote): the quoted status's id, when accepted.</summary>
public sealed record ShallowQuote : QuoteBase
{
    public string? QuotedStatusId { get; init; }
}
