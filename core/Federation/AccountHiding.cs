using ServerlessFedi.Configuration;
using ServerlessFedi.Moderation;

namespace ServerlessFedi.Federation;

/// <summary>
/// The block, mute and domain-block rule as one question (Mastodon's <c>FeedManager</c> and <c>NotifyService</c> ask it):
/// does a local account hide an actor? Notifications (<c>Notifier</c>) ask it on write, listings (timelines,
/// notifications) on read. Our mutes always cover notifications (Mastodon's default <c>notifications=true</c>).
/// The operator's moderation joins in (Mastodon's <c>NotifyService</c> drops notifications from silenced accounts the
/// recipient does not follow, and from suspended ones always).
/// Storage: one actor 2 point reads (block, mute) + 1 (domain block) for a remote actor, in parallel, + 1 (the follow)
/// for a silenced one; the whole set 3 range queries, at most once per <see cref="FollowingStore.RecentLifetime"/> per process.
/// </summary>
public sealed class AccountHiding(FollowingStore following, DomainBlockStore domainBlocks, InstanceUrls urls, ModerationPolicy moderation)
{
    /// <summary>Blocks and mutes read for a listing; Mastodon has no such cap, but one page must not read without bound.</summary>
    public const int MaxListed = 1000;

    /// <summary>Whether <paramref name="accountId"/> blocks or mutes <paramref name="actorId"/>, or blocked its server.</summary>
    public async Task<SenderStanding> StandingAsync(string accountId, string actorId, CancellationToken cancellationToken)
    {
        var blocks = following.HasRelationAsync(RelationshipService.Block, accountId, actorId, cancellationToken);
        var mutes = following.HasRelationAsync(RelationshipService.Mute, accountId, actorId, cancellationToken);
        var domain = urls.IsOwn(actorId) ? Task.FromResult(false) : domainBlocks.IsBlockedAsync(accountId, DomainBlockStore.HostOf(actorId), cancellationToken);
        var withheld = WithheldAsync(accountId, actorId, cancellationToken);
        await Task.WhenAll(blocks, mutes, domain, withheld);
        return new SenderStanding(blocks.Result, mutes.Result, domain.Result, withheld.Result);
    }

    /// <summary>
    /// Everything <paramref name="accountId"/> hides, for filtering a listing: the lists as read at most
    /// <see cref="FollowingStore.RecentLifetime"/> ago in this process (changes here apply at once), the operator's rules current.
    /// </summary>
    public async Task<HiddenAccounts> ListAsync(string accountId, CancellationToken cancellationToken)
    {
        var blocks = following.ListRelationTargetsRecentAsync(RelationshipService.Block, accountId, cancellationToken);
        var mutes = following.ListRelationTargetsRecentAsync(RelationshipService.Mute, accountId, cancellationToken);
        var domains = domainBlocks.ListRecentAsync(accountId, cancellationToken);
        var rules = moderation.CurrentAsync(cancellationToken);
        await Task.WhenAll(blocks, mutes, domains, rules);
        var targets = blocks.Result.Concat(mutes.Result).ToList();
        return new HiddenAccounts(
            targets.Select(t => t.AccountId).ToHashSet(StringComparer.Ordinal),
            targets.Select(t => t.ActorId).ToHashSet(StringComparer.Ordinal),
            domains.Result.ToHashSet(StringComparer.Ordinal),
            urls.Base)
        {
            Suspended = rules.Result,
        };
    }

    private async Task<bool> WithheldAsync(string accountId, string actorId, CancellationToken cancellationToken)
    {
        if (urls.IsOwn(actorId))
        {
            return false;
        }

        var rules = await moderation.CurrentAsync(cancellationToken);
        return rules.Suspends(actorId)
            || rules.Limits(actorId) && (await following.GetAsync(accountId, actorId, cancellationToken))?.State != FollowingStore.Accepted;
    }
}
