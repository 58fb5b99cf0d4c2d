using ServerlessFedi.Configuration;
using ServerlessFedi.Moderation;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// The block, mute and domain-block rule as one question (Mastodon's <c>FeedManager</c> and <c>NotifyService</c> ask it):
/// does a local account hide an actor? Notifications (<c>Notifier</c>) ask it on write, listings (timelines,
/// notifications) on read. Our mutes always cover notifications (Mastodon's default <c>notifications=true</c>).
/// The operator's moderation joins in (Mastodon's <c>NotifyService</c> drops notifications from silenced accounts the
/// recipient does not follow, and from suspended ones always).
/// Storage: one actor 1 point read (the account's <see cref="HidingVersionStore"/> version) when this process read its
/// lists under that version in the last <see cref="VersionedLifetime"/>, else + 3 range queries (block, mute and
/// domain-block lists); 2 point reads (block, mute) + 1 (domain block) instead for an account with a full list; + 1 (the
/// follow) for a silenced actor. The whole set 3 range queries, at most once per <see cref="FollowingStore.RecentLifetime"/> per process.
/// </summary>
public sealed class AccountHiding(FollowingStore following, DomainBlockStore domainBlocks, InstanceUrls urls, ModerationPolicy moderation, TimeProvider? time = null)
{
    /// <summary>Blocks and mutes read for a listing; Mastodon has no such cap, but one page must not read without bound.</summary>
    public const int MaxListed = 1000;

    /// <summary>
    /// How long lists read under a version are kept. The version makes them exact; the bound only limits what a change
    /// stored without its version change (a crash between the two, whose retry changes it) can hide.
    /// </summary>
    public static readonly TimeSpan VersionedLifetime = TimeSpan.FromMinutes(5);

    private readonly ExpiringCache<(string Version, Lists? Lists)> _versioned = new(VersionedLifetime, FollowingStore.RecentCapacity, time ?? TimeProvider.System);

    /// <summary>
    /// Whether <paramref name="accountId"/> blocks or mutes <paramref name="actorId"/>, or blocked its server: exact, as
    /// stored when called (also for a change made on another instance a moment ago), whatever this process kept.
    /// </summary>
    public async Task<SenderStanding> StandingAsync(string accountId, string actorId, CancellationToken cancellationToken)
    {
        var withheld = WithheldAsync(accountId, actorId, cancellationToken);
        var host = urls.IsOwn(actorId) ? null : DomainBlockStore.HostOf(actorId);
        if (await ListsAsync(accountId, cancellationToken) is { } lists)
        {
            return new SenderStanding(lists.Blocked.Contains(actorId), lists.Muted.Contains(actorId), host is not null && lists.Hosts.Contains(StorageKeys.DomainBlock(accountId, host).Rk), await withheld);
        }

        var blocks = following.HasRelationAsync(RelationshipService.Block, accountId, actorId, cancellationToken);
        var mutes = following.HasRelationAsync(RelationshipService.Mute, accountId, actorId, cancellationToken);
        var domain = host is null ? Task.FromResult(false) : domainBlocks.IsBlockedAsync(accountId, host, cancellationToken);
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

    /// <summary>
    /// The account's block, mute and domain-block lists as stored now: read under its current version, or kept from a
    /// read under the same version; null when a list is too long to keep (<see cref="MaxListed"/>): then point reads answer.
    /// </summary>
    private async Task<Lists?> ListsAsync(string accountId, CancellationToken cancellationToken)
    {
        var version = await following.HidingVersions.CurrentAsync(accountId, cancellationToken);
        if (_versioned.TryGet(accountId, out var kept) && kept.Version == version)
        {
            return kept.Lists;
        }

        // Callers that miss at once (a burst of Likes of one post asking about its author) share one read; a read in
        // flight under another version is not taken.
        var shared = await _versioned.GetOrLoadAsync(accountId, async () => (version, await ReadListsAsync(accountId, cancellationToken)), fresh: true);
        return shared.Version == version ? shared.Lists : await ReadListsAsync(accountId, cancellationToken);
    }

    private async Task<Lists?> ReadListsAsync(string accountId, CancellationToken cancellationToken)
    {
        var blocks = following.ListRelationTargetsAsync(RelationshipService.Block, accountId, MaxListed, cancellationToken);
        var mutes = following.ListRelationTargetsAsync(RelationshipService.Mute, accountId, MaxListed, cancellationToken);
        var domains = domainBlocks.ListAsync(accountId, cancellationToken);
        await Task.WhenAll(blocks, mutes, domains);
        var lists = blocks.Result.Count >= MaxListed || mutes.Result.Count >= MaxListed || domains.Result.Count >= DomainBlockStore.MaxPerAccount
            ? null
            : new Lists(
                blocks.Result.Select(t => t.ActorId).ToHashSet(StringComparer.Ordinal),
                mutes.Result.Select(t => t.ActorId).ToHashSet(StringComparer.Ordinal),
                domains.Result.ToHashSet(StringComparer.Ordinal));
        return lists;
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

    /// <summary>Blocked and muted actor ids, and blocked hosts as stored (row keys of <see cref="StorageKeys.DomainBlock"/>).</summary>
    private sealed record Lists(HashSet<string> Blocked, HashSet<string> Muted, HashSet<string> Hosts);
}
