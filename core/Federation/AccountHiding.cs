using ServerlessFedi.Configuration;

namespace ServerlessFedi.Federation;

/// <summary>
/// The block, mute and domain-block rule as one question (Mastodon's <c>FeedManager</c> and <c>NotifyService</c> ask it):
/// does a local account hide an actor? Notifications (<c>Notifier</c>) ask it on write, listings (timelines,
/// notifications) on read. Our mutes always cover notifications (Mastodon's default <c>notifications=true</c>).
/// Storage: one actor 2 point reads (block, mute) + 1 (domain block) for a remote actor, in parallel; the whole set
/// 3 range queries.
/// </summary>
public sealed class AccountHiding(FollowingStore following, DomainBlockStore domainBlocks, InstanceUrls urls)
{
    /// <summary>Blocks and mutes read for a listing; Mastodon has no such cap, but one page must not read without bound.</summary>
    public const int MaxListed = 1000;

    /// <summary>Whether <paramref name="accountId"/> blocks or mutes <paramref name="actorId"/>, or blocked its server.</summary>
    public async Task<SenderStanding> StandingAsync(string accountId, string actorId, CancellationToken cancellationToken)
    {
        var blocks = following.HasRelationAsync(RelationshipService.Block, accountId, actorId, cancellationToken);
        var mutes = following.HasRelationAsync(RelationshipService.Mute, accountId, actorId, cancellationToken);
        var domain = urls.IsOwn(actorId) ? Task.FromResult(false) : domainBlocks.IsBlockedAsync(accountId, DomainBlockStore.HostOf(actorId), cancellationToken);
        await Task.WhenAll(blocks, mutes, domain);
        return new SenderStanding(blocks.Result, mutes.Result, domain.Result);
    }

    /// <summary>Everything <paramref name="accountId"/> hides, for filtering a listing.</summary>
    public async Task<HiddenAccounts> ListAsync(string accountId, CancellationToken cancellationToken)
    {
        var blocks = following.ListRelationTargetsAsync(RelationshipService.Block, accountId, MaxListed, cancellationToken);
        var mutes = following.ListRelationTargetsAsync(RelationshipService.Mute, accountId, MaxListed, cancellationToken);
        var domains = domainBlocks.ListAsync(accountId, cancellationToken);
        await Task.WhenAll(blocks, mutes, domains);
        var targets = blocks.Result.Concat(mutes.Result).ToList();
        return new HiddenAccounts(
            targets.Select(t => t.AccountId).ToHashSet(StringComparer.Ordinal),
            targets.Select(t => t.ActorId).ToHashSet(StringComparer.Ordinal),
            domains.Result.ToHashSet(StringComparer.Ordinal),
            urls.Base);
    }
}
