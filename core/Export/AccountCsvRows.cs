using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Lists;

namespace ServerlessFedi.Export;

/// <summary>
/// The rows of the CSV exports Mastodon offers and imports (following, followers, lists, blocks, mutes, blocked domains),
/// read page by page so an archive streams them. Accounts are named by the handle Mastodon's importers read: 1-2 reads
/// per remote account named (the actor cache), none for a local one.
/// </summary>
public sealed class AccountCsvRows(
    FollowingStore following,
    FollowerStore followers,
    ListStore lists,
    DomainBlockStore domainBlocks,
    RemoteActorStore remoteActors,
    AccountDirectory directory,
    InstanceUrls urls)
{
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

    /// <summary><c>following_accounts.csv</c>: handle, show boosts, notify, languages. 1 range query per 1,000 follows + the handles.</summary>
    public async IAsyncEnumerable<string[]> FollowingRowsAsync(LocalAccount account, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
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

    /// <summary><c>followers.csv</c> (ours; Mastodon has none). 1 range query per 1,000 followers + the handles.</summary>
    public async IAsyncEnumerable<string[]> FollowerRowsAsync(LocalAccount account, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
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

    /// <summary><c>lists.csv</c>: list title and member handle. 1 range query for the lists + 1 per list + 1-2 reads per member + the handles.</summary>
    public async IAsyncEnumerable<string[]> ListRowsAsync(LocalAccount account, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
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

    /// <summary><c>blocked_accounts.csv</c> or <c>muted_accounts.csv</c>. 1 range query per 1,000 + the handles.</summary>
    public async IAsyncEnumerable<string[]> RelationRowsAsync(string kind, LocalAccount account, bool hideNotifications, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (actorId, _) in following.EnumerateRelationAsync(kind, account.Id, cancellationToken))
        {
            var acct = await AcctAsync(actorId, cancellationToken);
            // Mutes here always hide the muted account's notifications, as Mastodon's default.
            yield return hideNotifications ? [acct, "true"] : [acct];
        }
    }

    /// <summary><c>blocked_domains.csv</c>. 1 range query.</summary>
    public async IAsyncEnumerable<string[]> DomainRowsAsync(LocalAccount account, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var domain in await domainBlocks.ListAsync(account.Id, cancellationToken))
        {
            yield return [domain];
        }
    }
}
