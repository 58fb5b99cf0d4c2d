using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Quotes;

/// <summary>
/// What applies to a local account quoting a status (<see cref="QuotePolicies.Decide"/>), with the follow relations a
/// followers or following policy needs read from storage, once per author however many of its statuses a page shows.
/// Storage: none for policies that do not name them; else per such author 1-2 point reads (the author, kept per
/// process) + 1 point read per relation named (the account's follow of the author, the author's follow of the account;
/// always fresh), all in parallel.
/// </summary>
public sealed class QuotePermissions(AccountDirectory directory, FollowingStore following, FollowerStore followers)
{
    /// <summary>What <paramref name="account"/> may do with <paramref name="status"/>: automatic, manual, unknown or denied.</summary>
    public async Task<QuoteDecision> DecideAsync(Status status, LocalAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        return (await DecideAllAsync([status], account, cancellationToken))[status.Id];
    }

    /// <summary>
    /// <see cref="DecideAsync"/> for each of <paramref name="statuses"/> (by id); null <paramref name="viewer"/> decides
    /// nothing (an empty map).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, QuoteDecision>> DecideAllAsync(IEnumerable<Status> statuses, LocalAccount? viewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        if (viewer is null)
        {
            return new Dictionary<string, QuoteDecision>(StringComparer.Ordinal);
        }

        var distinct = statuses.DistinctBy(s => s.Id).ToList();

        // Only a policy that names the author's followers or followed accounts leaves the viewer's decision open.
        var open = distinct
            .Where(s => s.AccountId != viewer.Id && QuotePolicies.Decide(s, isAuthor: false, followsAuthor: null, followedByAuthor: null) == QuoteDecision.Unknown)
            .GroupBy(s => s.AccountId, StringComparer.Ordinal)
            .Select(g => (AuthorId: g.Key, Named: g.Aggregate(QuoteAudience.None, (named, s) => named | QuotePolicies.CanQuoteOf(s).Automatic | QuotePolicies.CanQuoteOf(s).Manual)));
        var relations = (await Task.WhenAll(open.Select(async a => (a.AuthorId, Relation: await RelationAsync(viewer, a.AuthorId, a.Named, cancellationToken)))))
            .ToDictionary(r => r.AuthorId, r => r.Relation, StringComparer.Ordinal);
        return distinct.ToDictionary(
            s => s.Id,
            s => relations.TryGetValue(s.AccountId, out var r)
                ? QuotePolicies.Decide(s, isAuthor: false, r.Follows, r.FollowedBy)
                : QuotePolicies.Decide(s, s.AccountId == viewer.Id, followsAuthor: null, followedByAuthor: null),
            StringComparer.Ordinal);
    }

    /// <summary>Whether the viewer follows the author and the author follows the viewer, read only as <paramref name="named"/> needs; nulls for an unknown author.</summary>
    private async Task<(bool? Follows, bool? FollowedBy)> RelationAsync(LocalAccount viewer, string authorId, QuoteAudience named, CancellationToken cancellationToken)
    {
        if (await directory.GetRecentByApiIdAsync(authorId, cancellationToken) is not { } author)
        {
            return (null, null);
        }

        var follows = named.HasFlag(QuoteAudience.Followers) ? following.GetAsync(viewer.Id, author.ActorId, cancellationToken) : Task.FromResult<Following?>(null);
        var followedBy = named.HasFlag(QuoteAudience.Following) ? followers.IsFollowerAsync(viewer.Id, author.ActorId, cancellationToken) : Task.FromResult(false);
        await Task.WhenAll(follows, followedBy);
        return (follows.Result?.State == FollowingStore.Accepted, followedBy.Result);
    }
}
