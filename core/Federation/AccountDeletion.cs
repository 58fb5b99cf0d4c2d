using System.Net;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Configuration;
using ServerlessFedi.Media;
using ServerlessFedi.OAuth;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// Account deletion, as Mastodon's admin "delete" (suspend, then remove): <see cref="DeleteLocalAsync"/> makes the account
/// gone at once (410 actor, no login, tokens revoked, username reserved for good) and queues the removal, which
/// <see cref="ProcessAsync"/> runs in bounded steps: statuses (with media), favourites/boosts/bookmarks/pins, followers,
/// follows, then the end mark. A <c>Delete</c> of the actor, signed with the account's key (kept: peers verify it with the
/// copy they cached), is enqueued once per distinct inbox of a follower or followed account while those rows are removed.
/// A remote actor's own <c>Delete</c> takes the same path for its follows and stored statuses.
/// </summary>
public sealed class AccountDeletion(
    AccountStore accounts,
    AccessTokenStore tokens,
    StatusStore statuses,
    StatusEditStore edits,
    MediaService media,
    MediaStore mediaFiles,
    InteractionStore interactions,
    FollowerStore followers,
    FollowingStore following,
    RemoteActorStore remoteActors,
    ActivityBuilder builder,
    ActivitySigner signer,
    PayloadStore payloads,
    WorkQueue queue,
    FediTables tables,
    InstanceUrls urls,
    TimeProvider time,
    ILogger<AccountDeletion> logger)
{
    /// <summary>Statuses removed per step: each costs about 5-8 transactions, so a step stays well under a minute.</summary>
    public const int StatusesPerStep = 50;

    /// <summary>Marks (favourites, boosts, bookmarks, pins) per step.</summary>
    public const int MarksPerStep = 100;

    /// <summary>Followers or follows per step.</summary>
    public const int FollowsPerStep = 100;

    /// <summary>
    /// Deletes a local account (idempotent: a second run of an unfinished deletion queues its removal again).
    /// Storage: 2 reads + 1 merge (+1 read and 1 delete for the e-mail index) + 1 range query and 2 deletes per token + 1 queue send.
    /// </summary>
    public async Task<AccountDeletionResult> DeleteLocalAsync(string username, CancellationToken cancellationToken)
    {
        var account = await accounts.GetByUsernameIncludingDeletedAsync(username, cancellationToken);
        if (account is null)
        {
            return new AccountDeletionResult($"no local account '{username}'");
        }

        if (account.PurgedAt is not null)
        {
            return new AccountDeletionResult(null, account.Id, AlreadyDeleted: true);
        }

        await accounts.MarkDeletedAsync(account, time.GetUtcNow(), cancellationToken);
        var revoked = await tokens.RevokeAllAsync(account.Id, cancellationToken);
        await queue.SendAccountDeletionAsync(new AccountDeletionMessage(account.Id, null, AccountDeletionMessage.Statuses), cancellationToken);
        return new AccountDeletionResult(null, account.Id, revoked, account.DeletedAt is not null, account.StatusesCount, account.FollowersCount, account.FollowingCount);
    }

    /// <summary>
    /// A remote actor deleted itself (inbound <c>Delete</c> whose object is the actor): its cached copy is marked deleted
    /// (later activities from it are refused) and the removal of its follows and statuses is queued. Idempotent.
    /// </summary>
    public async Task DeleteRemoteAsync(string actorId, CancellationToken cancellationToken)
    {
        await remoteActors.MarkDeletedAsync(actorId, time.GetUtcNow(), cancellationToken);
        await queue.SendAccountDeletionAsync(new AccountDeletionMessage(null, actorId, AccountDeletionMessage.RemoteFollows), cancellationToken);
    }

    /// <summary>Runs one step and enqueues the next; a message for an account that is not deleted does nothing.</summary>
    public async Task ProcessAsync(AccountDeletionMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.RemoteActorId is { } actorId)
        {
            await ProcessRemoteAsync(actorId, message, cancellationToken);
            return;
        }

        var account = message.AccountId is null ? null : await accounts.GetByIdIncludingDeletedAsync(message.AccountId, cancellationToken);
        if (account?.DeletedAt is null)
        {
            logger.LogWarning("Ignored account deletion step {Step} for {Account}: not a deleted local account", message.Step, message.AccountId);
            return;
        }

        var next = message.Step switch
        {
            AccountDeletionMessage.Statuses => await RemoveStatusesAsync(account.Id, local: true, cancellationToken) ? message.Step : AccountDeletionMessage.Interactions,
            AccountDeletionMessage.Interactions => await RemoveMarksAsync(account, cancellationToken) ? message.Step : AccountDeletionMessage.Followers,
            AccountDeletionMessage.Followers => await RemoveFollowersAsync(account, cancellationToken) ? message.Step : AccountDeletionMessage.Following,
            AccountDeletionMessage.Following => await RemoveFollowingAsync(account, cancellationToken) ? message.Step : AccountDeletionMessage.Finish,
            AccountDeletionMessage.Finish => await FinishAsync(account, cancellationToken),
            _ => null,
        };
        logger.LogInformation("Account deletion of {Account}: step {Step} done, next {Next}", account.Id, message.Step, next ?? "(none)");
        if (next is not null)
        {
            await queue.SendAccountDeletionAsync(message with { Step = next }, cancellationToken);
        }
    }

    private async Task ProcessRemoteAsync(string actorId, AccountDeletionMessage message, CancellationToken cancellationToken)
    {
        string? next = null;
        switch (message.Step)
        {
            case AccountDeletionMessage.RemoteFollows:
                // Its follows of local accounts (their follower counts drop) and local accounts' follows of it, requests included.
                foreach (var accountId in await followers.GetFollowedAccountIdsAsync(actorId, cancellationToken))
                {
                    await followers.RemoveAsync(accountId, actorId, cancellationToken);
                }

                foreach (var accountId in await following.GetLocalFollowersOfAnyStateAsync(actorId, cancellationToken))
                {
                    await following.RemoveAsync(accountId, actorId, cancellationToken);
                    await followers.RemoveRequestAsync(accountId, actorId, cancellationToken);
                }

                next = AccountDeletionMessage.RemoteStatuses;
                break;
            case AccountDeletionMessage.RemoteStatuses:
                next = await RemoveStatusesAsync(RemoteAccountIds.For(actorId), local: false, cancellationToken) ? message.Step : null;
                break;
        }

        logger.LogInformation("Deletion of remote actor {Actor}: step {Step} done, next {Next}", actorId, message.Step, next ?? "(none)");
        if (next is not null)
        {
            await queue.SendAccountDeletionAsync(message with { Step = next }, cancellationToken);
        }
    }

    /// <summary>
    /// Marks the first page of the account's statuses deleted (each answers 410 from then on) and removes their media;
    /// marking removes the account's copy, so the next page starts at the top again. True when a full page was handled.
    /// </summary>
    private async Task<bool> RemoveStatusesAsync(string apiAccountId, bool local, CancellationToken cancellationToken)
    {
        var page = await statuses.GetAccountStatusesAsync(apiAccountId, null, StatusesPerStep, cancellationToken);
        var now = time.GetUtcNow();
        foreach (var status in page)
        {
            if (local)
            {
                // Media an edit removed is still held by an older version (as StatusService.DeleteAsync).
                var held = status.Media.ToList();
                if (status.EditedAt is not null)
                {
                    foreach (var version in await edits.ListAsync(status.Id, cancellationToken))
                    {
                        held.AddRange(version.Media.Where(m => held.TrueForAll(h => h.Id != m.Id)));
                    }
                }

                await media.DeleteForStatusAsync(status with { Media = held }, cancellationToken);
            }

            if (status.DeletedAt is null && status.InReplyToId is { } parentId)
            {
                await statuses.AdjustCountsAsync(parentId, replies: -1, cancellationToken: cancellationToken);
            }

            await statuses.MarkDeletedAsync(status, status.DeletedAt ?? now, cancellationToken);
        }

        return page.Count >= StatusesPerStep;
    }

    /// <summary>Takes back the account's favourites and boosts (counts drop) and drops its bookmarks and pins; a page per step.</summary>
    private async Task<bool> RemoveMarksAsync(LocalAccount account, CancellationToken cancellationToken)
    {
        var actor = urls.Actor(account.Username);
        foreach (var kind in new[] { InteractionKind.Favourite, InteractionKind.Reblog, InteractionKind.Bookmark, InteractionKind.Pin })
        {
            var ids = await interactions.ListMarkedAsync(account.Id, kind, null, MarksPerStep, cancellationToken);
            foreach (var statusId in ids)
            {
                var (removed, _) = await interactions.RemoveAsync(kind, statusId, actor, account.Id, cancellationToken);
                if (removed && kind is InteractionKind.Favourite or InteractionKind.Reblog)
                {
                    await statuses.AdjustCountsAsync(statusId,
                        favourites: kind == InteractionKind.Favourite ? -1 : 0, reblogs: kind == InteractionKind.Reblog ? -1 : 0, cancellationToken: cancellationToken);
                }
            }

            if (ids.Count >= MarksPerStep)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Followers (and pending requests): the Delete goes to each remote follower's inbox, then the rows go; a local follower's
    /// follow is removed on its side too. True when a full page was handled.
    /// </summary>
    private async Task<bool> RemoveFollowersAsync(LocalAccount account, CancellationToken cancellationToken)
    {
        var actor = urls.Actor(account.Username);
        var page = await followers.GetPageAsync(account.Id, null, FollowsPerStep, cancellationToken);
        await DeliverDeleteAsync(account, page.Followers.Where(f => f.LocalAccountId is null).Select(f => f.DeliveryInbox), cancellationToken);
        foreach (var follower in page.Followers)
        {
            if (follower.LocalAccountId is { } localId)
            {
                await following.RemoveAsync(localId, actor, cancellationToken);
            }

            await followers.RemoveAsync(account.Id, follower.ActorId, cancellationToken);
        }

        if (page.Followers.Count >= FollowsPerStep)
        {
            return true;
        }

        var requests = await followers.ListRequestsAsync(account.Id, FollowsPerStep, cancellationToken);
        foreach (var (actorId, _, localId) in requests)
        {
            if (localId is not null)
            {
                await following.RemoveAsync(localId, actor, cancellationToken);
            }

            await followers.RemoveRequestAsync(account.Id, actorId, cancellationToken);
        }

        return requests.Count >= FollowsPerStep;
    }

    /// <summary>The account's follows: the Delete goes to each remote target's inbox; a local target loses the follower. True when a full page was handled.</summary>
    private async Task<bool> RemoveFollowingAsync(LocalAccount account, CancellationToken cancellationToken)
    {
        var actor = urls.Actor(account.Username);
        var page = await following.ListAnyStateAsync(account.Id, FollowsPerStep, cancellationToken);
        var inboxes = new List<string>();
        foreach (var f in page.Where(f => !SnowflakeIds.IsValid(f.TargetAccountId)))
        {
            if (await remoteActors.GetAsync(f.TargetActorId, cancellationToken) is { } target)
            {
                inboxes.Add(target.DeliveryInbox);
            }
        }

        await DeliverDeleteAsync(account, inboxes, cancellationToken);
        foreach (var f in page)
        {
            if (SnowflakeIds.IsValid(f.TargetAccountId))
            {
                await followers.RemoveAsync(f.TargetAccountId, actor, cancellationToken);
                await followers.RemoveRequestAsync(f.TargetAccountId, actor, cancellationToken);
            }

            await following.RemoveAsync(account.Id, f.TargetActorId, cancellationToken);
        }

        return page.Count >= FollowsPerStep;
    }

    /// <summary>Tokens once more (one issued during the deletion), avatar and header files, the end mark. Nothing follows.</summary>
    private async Task<string?> FinishAsync(LocalAccount account, CancellationToken cancellationToken)
    {
        await tokens.RevokeAllAsync(account.Id, cancellationToken);
        foreach (var blob in new[] { account.AvatarBlob, account.HeaderBlob }.OfType<string>())
        {
            await mediaFiles.DeleteFileAsync(blob, cancellationToken);
        }

        await accounts.MarkPurgedAsync(account.Id, time.GetUtcNow(), cancellationToken);
        return null;
    }

    /// <summary>
    /// Enqueues the Delete for each inbox not yet sent to in this deletion: a marker row per inbox (1 read; 1 write and
    /// 1 queue send when new) makes the deliveries distinct across pages and steps. The send comes before the marker, so a
    /// crash can repeat one delivery but never lose one.
    /// </summary>
    private async Task DeliverDeleteAsync(LocalAccount account, IEnumerable<string> inboxes, CancellationToken cancellationToken)
    {
        var distinct = inboxes.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count == 0)
        {
            return;
        }

        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var (inline, blob) = await payloads.StoreAsync(signer.Sign(account, builder.DeleteActor(account)).ToJsonString(), cancellationToken);
        var now = time.GetUtcNow();
        foreach (var inbox in distinct)
        {
            var (pk, rk) = StorageKeys.DeletionInbox(account.Id, inbox);
            if ((await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, select: ["RowKey"], cancellationToken: cancellationToken)).HasValue)
            {
                continue;
            }

            await queue.SendDeliveryAsync(new DeliveryMessage(account.Id, inbox, inline, blob, 1, now), null, cancellationToken);
            try
            {
                await table.AddEntityAsync(new TableEntity(pk, rk) { ["Inbox"] = inbox, ["SentAt"] = now }, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
            {
                // A concurrent run of the same step sent it too: at most one extra delivery.
            }
        }
    }
}
