using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Lists;

namespace ServerlessFedi.Export;

/// <summary>
/// The rows of an account's relationship files in the archive, in the columns of Mastodon's CSV exports so its importers
/// read them; accounts are named by handle (<c>user@domain</c>). Storage: 1 range query per 1,000 follows, followers,
/// blocks or mutes and per list; 1-2 reads per account named.
/// </summary>
public sealed class RelationshipExport(
    FollowingStore following,
    FollowerStore followers,
    ListStore lists,
    DomainBlockStore domainBlocks,
    RemoteActorStore remoteActors,
    AccountDirectory directory,
    InstanceUrls urls)
{
    /// <summary><c>following_accounts.csv</c>: handle, whether boosts show, notify on new posts (never), languages (none).</summary>
    public async IAsyncEnumerable<string[]> FollowingAsync(LocalAccount account, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        string? after = null;
        do
        {
            var (items, next) = await following.ListAsync(account.Id, after, 1000, cancellationToken);
            foreach (var f in items)
            {
                yield return [await AcctAsync(f.TargetActorId, cancellationToken), f.ShowReblogs ? "true" : "false", "false", ""];
            }

            after = next;
        }
        while (after is not null);
    }

    /// <summary><c>followers.csv</c> (ours; Mastodon exports none): each follower's handle.</summary>
    public async IAsyncEnumerable<string[]> FollowersAsync(LocalAccount account, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        string? token = null;
        do
        {
            var page = await followers.GetPageAsync(account.Id, token, 1000, cancellationToken);
            foreach (var f in page.Followers)
            {
                yield return [await AcctAsync(f.ActorId, cancellationToken)];
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    /// <summary><c>lists.csv</c>: a row per list and member, the list's title and the member's handle.</summary>
    public async IAsyncEnumerable<string[]> ListsAsync(LocalAccount account, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        foreach (var list in await lists.ListAsync(account.Id, cancellationToken))
        {
            foreach (var memberId in await lists.MembersAsync(list.Id, cancellationToken))
            {
                if (await directory.GetByApiIdAsync(memberId, cancellationToken) is { } member)
                {
                    yield return [list.Title, await AcctAsync(member.ActorId, cancellationToken)];
                }
            }
        }
    }

    /// <summary><c>blocked_accounts.csv</c>: each blocked account's handle.</summary>
    public IAsyncEnumerable<string[]> BlocksAsync(LocalAccount account, CancellationToken cancellationToken) =>
        RelationAsync(RelationshipService.Block, account, false, cancellationToken);

    /// <summary><c>muted_accounts.csv</c>: each muted account's handle and whether its notifications are hidden.</summary>
    public IAsyncEnumerable<string[]> MutesAsync(LocalAccount account, CancellationToken cancellationToken) =>
        RelationAsync(RelationshipService.Mute, account, true, cancellationToken);

    /// <summary><c>blocked_domains.csv</c>: each blocked domain.</summary>
    public async IAsyncEnumerable<string[]> DomainBlocksAsync(LocalAccount account, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        foreach (var domain in await domainBlocks.ListAsync(account.Id, cancellationToken))
        {
            yield return [domain];
        }
    }

    private async IAsyncEnumerable<string[]> RelationAsync(string kind, LocalAccount account, bool hideNotifications, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await foreach (var (actorId, _) in following.EnumerateRelationAsync(kind, account.Id, cancellationToken))
        {
            var acct = await AcctAsync(actorId, cancellationToken);
            // Mutes here always hide the muted account's notifications, as Mastodon's default.
            yield return hideNotifications ? [acct, "true"] : [acct];
        }
    }

    /// <summary>The handle Mastodon's importers read (<c>user@domain</c>), or the actor id when the actor is not known here.</summary>
    private async Task<string> AcctAsync(string actorId, CancellationToken cancellationToken)
    {
        if (urls.UsernameOfActor(actorId) is { } username)
        {
            return $"{username}@{urls.AccountDomain}";
        }

        var remote = await remoteActors.GetAsync(actorId, cancellationToken);
        return remote?.PreferredUsername is { Length: > 0 } name ? $"{name}@{new Uri(remote.Id).Authority}" : actorId;
    }
}
