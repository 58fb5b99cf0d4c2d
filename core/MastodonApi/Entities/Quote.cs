namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>Quote (docs: entities/Quote): <see cref="QuotedStatus"/> is set only when the quote is accepted and the viewer may see it.</summary>
public sealed record Quote : QuoteBase
{
    public Status? QuotedStatus { get; init; }
}
