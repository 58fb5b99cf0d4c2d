namespace ServerlessFedi.Quotes;

/// <summary>
/// What a status quotes (FEP-044f <c>quote</c>): the quoted object's ActivityPub id, its id here once stored, the
/// state of the quote and the <c>QuoteAuthorization</c> that approves it (<c>quoteAuthorization</c>), when there is one.
/// </summary>
public sealed record StatusQuote
{
    public required string QuotedUri { get; init; }

    public string? QuotedStatusId { get; init; }

    /// <summary>The quoted status's author (API account id), for a quote posted here: who may answer its QuoteRequest.</summary>
    public string? QuotedAccountId { get; init; }

    public QuoteState State { get; init; } = QuoteState.Pending;

    public string? AuthorizationUri { get; init; }
}
