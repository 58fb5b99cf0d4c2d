using ServerlessFedi.Configuration;

namespace ServerlessFedi.Federation.Inbox;

/// <summary><c>Reject</c> of a local account's <c>Follow</c> (or a later Reject of an accepted one): the follow goes.</summary>
public sealed class RejectHandler(AccountDirectory directory, FollowingStore following, InstanceUrls urls) : IActivityHandler
{
    public async Task<ActivityOutcome> HandleAsync(InboundActivity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (await directory.GetLocalByActorIdAsync(AcceptHandler.FollowerOf(activity, urls), cancellationToken) is { } account)
        {
            await following.RemoveAsync(account.Id, activity.ActorId, cancellationToken);
        }

        return ActivityOutcome.Done;
    }
}
