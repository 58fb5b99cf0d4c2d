using Microsoft.Extensions.Logging;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Migration;

/// <summary>
/// Moves the local followers of an account that moved (Mastodon's MoveWorker): each local account following the origin
/// follows the target instead (a remote target gets a Follow, a local one a follow row at once) and unfollows the origin
/// (Undo(Follow) to a remote origin). At most <see cref="FollowersPerStep"/> per queue message; a step reads the origin's
/// remaining followers from the start, so a repeated step moves nobody twice. Accounts that block the target keep
/// neither follow. Storage per follower: what <see cref="RelationshipService"/>'s follow and unfollow cost + 1 point read;
/// per step 1 range query (+ 1 queue send when more remain).
/// </summary>
public sealed class FollowerMigration(
    FollowingStore following,
    AccountStore accounts,
    AccountDirectory directory,
    RemoteActorResolver remoteActors,
    RelationshipService relationships,
    WorkQueue queue,
    ILogger<FollowerMigration> logger)
{
    public const int FollowersPerStep = 100;

    public async Task ProcessAsync(MoveFollowersMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var target = await directory.GetByActorIdAsync(message.TargetActorId, cancellationToken)
            ?? (await remoteActors.GetActorAsync(message.TargetActorId, refresh: false, cancellationToken) is { } fetched ? AccountDirectory.Of(fetched) : null);
        if (target is null)
        {
            // Thrown so the queue retries: the target was fetched when the Move was accepted, so this is a passing failure.
            throw new InvalidOperationException($"the move target {message.TargetActorId} cannot be read now");
        }

        var origin = await directory.GetByActorIdAsync(message.OriginActorId, cancellationToken);
        var followerIds = await following.GetLocalFollowersOfAnyStateAsync(message.OriginActorId, cancellationToken);
        foreach (var accountId in followerIds.Take(FollowersPerStep))
        {
            var account = await accounts.GetByIdAsync(accountId, cancellationToken);
            if (account is not null && target.Local?.Id != account.Id
                && !await following.HasRelationAsync(RelationshipService.Block, account.Id, target.ActorId, cancellationToken))
            {
                var showReblogs = (await following.GetAsync(account.Id, message.OriginActorId, cancellationToken))?.ShowReblogs;
                await relationships.FollowAsync(account, target, showReblogs, cancellationToken);
            }

            if (account is not null && origin is not null)
            {
                await relationships.UnfollowAsync(account, origin, cancellationToken);
            }
            else
            {
                await following.RemoveAsync(accountId, message.OriginActorId, cancellationToken);
            }
        }

        logger.LogInformation("Moved {Count} local follower(s) of {Origin} to {Target}", Math.Min(followerIds.Count, FollowersPerStep), message.OriginActorId, message.TargetActorId);
        if (followerIds.Count > FollowersPerStep)
        {
            await queue.SendMoveFollowersAsync(message, cancellationToken);
        }
    }
}
