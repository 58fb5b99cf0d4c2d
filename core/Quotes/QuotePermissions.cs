using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Quotes;

/// <summary>
/// What applies to a local account quoting a status (<see cref="QuotePolicies.Decide"/>), with the follow relations a
/// followers or following policy needs read from storage. Storage: none for a policy that does not name them; else 1-2
/// point reads (the author, kept per process) + 1 point read per relation named (the account's follow of the author,
/// the author's follow of the account; always fresh).
/// </summary>
public sealed class QuotePermissions(AccountDirectory directory, FollowingStore following, FollowerStore followers)
{
    /// <summary>What <paramref name="account"/> may do with <paramref name="status"/>: automatic, manual, unknown or denied.</summary>
    public async Task<QuoteDecision> DecideAsync(Status status, LocalAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(account);
        var isAuthor = status.AccountId == account.Id;
        var guess = QuotePolicies.Decide(status, isAuthor, followsAuthor: null, followedByAuthor: null);
        if (guess != QuoteDecision.Unknown || isAuthor)
        {
            return guess;
        }

        var policy = QuotePolicies.CanQuoteOf(status);
        var named = policy.Automatic | policy.Manual;
        var author = await directory.GetRecentByApiIdAsync(status.AccountId, cancellationToken);
        if (author is null)
        {
            return guess;
        }

        var follows = named.HasFlag(QuoteAudience.Followers)
            ? (await following.GetAsync(account.Id, author.ActorId, cancellationToken))?.State == FollowingStore.Accepted
            : false;
        var followedBy = named.HasFlag(QuoteAudience.Following) && await followers.IsFollowerAsync(account.Id, author.ActorId, cancellationToken);
        return QuotePolicies.Decide(status, isAuthor, follows, followedBy);
    }

    /// <summary>
    /// <see cref="DecideAsync"/> for each of <paramref name="statuses"/> (by id, all at once); null
    /// <paramref name="viewer"/> decides nothing (an empty map).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, QuoteDecision>> DecideAllAsync(IEnumerable<Status> statuses, LocalAccount? viewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        if (viewer is null)
        {
            return new Dictionary<string, QuoteDecision>(StringComparer.Ordinal);
        }

        var distinct = statuses.DistinctBy(s => s.Id).ToList();
        var decided = await Task.WhenAll(distinct.Select(s => DecideAsync(s, viewer, cancellationToken)));
        return distinct.Select((s, i) => (s.Id, decided[i])).ToDictionary(p => p.Id, p => p.Item2, StringComparer.Ordinal);
    }
}
