using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Notifications;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Quotes;

/// <summary>
/// Whether a quote of a local status is approved, and its approval recorded (FEP-044f "Receiving, accepting or rejecting
/// quote posts"). Approval is automatic, as the author's policy says (<see cref="QuotePolicies.Effective"/>): anyone, the
/// author's followers, or nobody; never for an actor the author blocks (or whose server it blocks), never for a status
/// that is not live. The author gets a <c>quote</c> notification (Mastodon 4.5) once per quote.
/// </summary>
public sealed class QuoteApprovals(FollowerStore followers, AccountHiding hiding, QuoteStore store, Notifier notifier, StatusStore statuses, RemoteStatusIngest ingest, TimeProvider time)
{
    /// <summary>
    /// Whether <paramref name="quoterActorId"/> may quote <paramref name="quoted"/> (null: no such status). Storage: 3 reads
    /// (the standing) + 1 point read for a followers-only policy.
    /// </summary>
    public async Task<bool> AllowsAsync(LocalAccount author, Status? quoted, string quoterActorId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(author);
        if (quoted is not { IsLocal: true, DeletedAt: null } || quoted.AccountId != author.Id)
        {
            return false;
        }

        var policy = QuotePolicies.Effective(quoted);
        if (policy == QuotePolicy.Nobody || (await hiding.StandingAsync(author.Id, quoterActorId, cancellationToken)).Blocks)
        {
            return false;
        }

        return policy == QuotePolicy.Public || await followers.IsFollowerAsync(author.Id, quoterActorId, cancellationToken);
    }

    /// <summary>
    /// Records the authorization of the remote quote <paramref name="quote"/> (parsed from the request's note) of
    /// <paramref name="quoted"/> (at <paramref name="quotedUri"/>), stores the quote (or marks the stored one accepted) and notifies the author once;
    /// answers the authorization, which may be one revoked before (then nothing else changes). Storage: the store's
    /// insert and recount (1 insert + 1 range query + 1 merge) + the quote's storage (<see cref="RemoteStatusIngest.StoreBoostedAsync"/>,
    /// or 1 read + 1 conditional replace when stored) + 1 merge (its id) + the notification.
    /// </summary>
    public async Task<QuoteAuthorization> AuthorizeAsync(LocalAccount author, Status quoted, string quotedUri, Status quote, RemoteActor quoter, Func<string, string> authorizationUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(author);
        ArgumentNullException.ThrowIfNull(quoted);
        ArgumentNullException.ThrowIfNull(quote);
        ArgumentNullException.ThrowIfNull(quoter);
        ArgumentNullException.ThrowIfNull(authorizationUri);
        var id = Storage.StorageKeys.QuoteAuthorizationId(quote.Uri!);
        var authorization = await store.AddAsync(new QuoteAuthorization
        {
            Id = id,
            QuotedStatusId = quoted.Id,
            QuotedAccountId = author.Id,
            QuoteUri = quote.Uri!,
            QuotingActorId = quoter.Id,
            QuotingInbox = quoter.Inbox,
            CreatedAt = time.GetUtcNow(),
        }, cancellationToken);
        if (authorization.RevokedAt is not null)
        {
            return authorization;
        }

        var accepted = new StatusQuote { QuotedUri = quotedUri, QuotedStatusId = quoted.Id, State = QuoteState.Accepted, AuthorizationUri = authorizationUri(id) };
        var storedId = await statuses.GetIdByUriAsync(quote.Uri!, cancellationToken);
        var stored = storedId is null
            ? await ingest.StoreBoostedAsync(quote with { Quote = accepted }, cancellationToken)
            : await statuses.EditRemoteAsync(storedId, s => s with { Quote = accepted }, cancellationToken);
        if (stored is not null && authorization.QuoteStatusId != stored.Id)
        {
            await store.SetQuoteStatusAsync(authorization, stored.Id, cancellationToken);
            var standing = await hiding.StandingAsync(author.Id, quoter.Id, cancellationToken);
            await notifier.NotifyAsync(standing, author.Id, NotificationType.Quote, NotificationSender.Remote(quoter.Id), stored.Id, $"quote-{id}", cancellationToken);
        }

        return authorization with { QuoteStatusId = stored?.Id ?? authorization.QuoteStatusId };
    }

    /// <summary>
    /// Records the authorization of <paramref name="quoter"/>'s local quote <paramref name="quote"/> (at
    /// <paramref name="quoteUri"/>) of <paramref name="quotedAuthor"/>'s status, already allowed when it was posted, and
    /// notifies the quoted author (not for a self-quote). Storage: the store's insert and recount + the notification.
    /// </summary>
    public async Task AuthorizeLocalAsync(LocalAccount quotedAuthor, string quotedStatusId, Status quote, LocalAccount quoter, string quoteUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(quotedAuthor);
        ArgumentNullException.ThrowIfNull(quote);
        ArgumentNullException.ThrowIfNull(quoter);
        var id = Storage.StorageKeys.QuoteAuthorizationId(quoteUri);
        await store.AddAsync(new QuoteAuthorization
        {
            Id = id,
            QuotedStatusId = quotedStatusId,
            QuotedAccountId = quotedAuthor.Id,
            QuoteUri = quoteUri,
            QuotingActorId = quoteUri[..quoteUri.IndexOf("/statuses/", StringComparison.Ordinal)],
            QuoteStatusId = quote.Id,
            CreatedAt = time.GetUtcNow(),
        }, cancellationToken);
        if (quoter.Id != quotedAuthor.Id)
        {
            await notifier.NotifyAsync(quotedAuthor.Id, NotificationType.Quote, new NotificationSender(quoteUri[..quoteUri.IndexOf("/statuses/", StringComparison.Ordinal)], quoter.Id), quote.Id, $"quote-{id}", cancellationToken);
        }
    }
}
