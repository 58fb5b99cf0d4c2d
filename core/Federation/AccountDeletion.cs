using Microsoft.Extensions.Logging;
using ServerlessFedi.Accounts;
using ServerlessFedi.Media;
using ServerlessFedi.OAuth;

namespace ServerlessFedi.Federation;

/// <summary>
/// Account deletion, as Mastodon's admin "delete" (suspend, then remove): <see cref="DeleteLocalAsync"/> makes the account
/// gone at once (410 actor, no login, tokens revoked, username reserved for good) and queues the removal, which
/// <see cref="ProcessAsync"/> runs in bounded steps: statuses (with media), favourites/boosts/bookmarks/pins, followers,
/// follows, then the end mark (with the account's 2FA enrolment and its block, mute and note rows). A <c>Delete</c> of the actor, signed with the account's key (kept: peers verify it with the
/// copy they cached), is enqueued once per distinct inbox of a follower or followed account while those rows are removed.
/// A remote actor's own <c>Delete</c> takes the same path for its follows and stored statuses.
/// </summary>
public sealed class AccountDeletion(
    AccountStore accounts,
    AccessTokenStore tokens,
    RemoteActorStore remoteActors,
    MediaStore mediaFiles,
    AccountContentRemoval content,
    AccountFollowRemoval follows,
    WorkQueue queue,
    TimeProvider time,
    ILogger<AccountDeletion> logger,
    TwoFactorStore twoFactor)
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
            AccountDeletionMessage.Statuses => await content.RemoveStatusesAsync(account.Id, local: true, cancellationToken) ? message.Step : AccountDeletionMessage.Interactions,
            AccountDeletionMessage.Interactions => await content.RemoveMarksAsync(account, cancellationToken) ? message.Step : AccountDeletionMessage.Followers,
            AccountDeletionMessage.Followers => await follows.RemoveFollowersAsync(account, cancellationToken) ? message.Step : AccountDeletionMessage.Following,
            AccountDeletionMessage.Following => await follows.RemoveFollowingAsync(account, cancellationToken) ? message.Step : AccountDeletionMessage.Finish,
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
                await follows.RemoveRemoteFollowsAsync(actorId, cancellationToken);
                next = AccountDeletionMessage.RemoteStatuses;
                break;
            case AccountDeletionMessage.RemoteStatuses:
                next = await content.RemoveStatusesAsync(RemoteAccountIds.For(actorId), local: false, cancellationToken) ? message.Step : null;
                break;
        }

        logger.LogInformation("Deletion of remote actor {Actor}: step {Step} done, next {Next}", actorId, message.Step, next ?? "(none)");
        if (next is not null)
        {
            await queue.SendAccountDeletionAsync(message with { Step = next }, cancellationToken);
        }
    }

    /// <summary>Tokens once more (one issued during the deletion), avatar and header files, the end mark. Nothing follows.</summary>
    private async Task<string?> FinishAsync(LocalAccount account, CancellationToken cancellationToken)
    {
        await tokens.RevokeAllAsync(account.Id, cancellationToken);
        await twoFactor.DisableAsync(account.Id, cancellationToken);
        await follows.RemoveRelationsAsync(account, cancellationToken);
        foreach (var blob in new[] { account.AvatarBlob, account.HeaderBlob }.OfType<string>())
        {
            await mediaFiles.DeleteFileAsync(blob, cancellationToken);
        }

        await accounts.MarkPurgedAsync(account.Id, time.GetUtcNow(), cancellationToken);
        return null;
    }
}
