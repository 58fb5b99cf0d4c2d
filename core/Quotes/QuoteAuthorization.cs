namespace ServerlessFedi.Quotes;

/// <summary>
/// The approval of one quote of a local status (FEP-044f <c>QuoteAuthorization</c>): published at its own URL until it
/// is revoked (its author's revocation, or the quoted status's deletion), after which that URL answers 404.
/// </summary>
public sealed record QuoteAuthorization
{
    /// <summary>16 hex digits, from the quote's id (<see cref="Storage.StorageKeys.QuoteAuthorizationId"/>).</summary>
    public required string Id { get; init; }

    public required string QuotedStatusId { get; init; }

    /// <summary>The local author of the quoted status (the authorization's <c>attributedTo</c>).</summary>
    public required string QuotedAccountId { get; init; }

    /// <summary>The quote's ActivityPub id (<c>interactingObject</c>).</summary>
    public required string QuoteUri { get; init; }

    /// <summary>The quote's author: a remote actor id, or a local actor's URL.</summary>
    public required string QuotingActorId { get; init; }

    /// <summary>Where the quote's author hears of a revocation; null for a local author.</summary>
    public string? QuotingInbox { get; init; }

    /// <summary>The quote's id here, when it is stored.</summary>
    public string? QuoteStatusId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }
}
