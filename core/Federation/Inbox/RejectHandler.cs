using ServerlessFedi.Configuration;

namespace ServerlessFedi.Federation.Inbox;

/// <summary><c>Reject</c> of a local account's <c>Follow</c> (or a later Reject of an accepted one): the follow goes; of our <c>QuoteRequest</c>: <see cref="Quotes.QuoteAnswers"/>.</summary>
public sealed class RejectHandler(AccountDirectory directory, FollowingStore following, InstanceUrls urls, Quotes.QuoteAnswers quotes) : IActivityHandler
{
    public async Task<ActivityOutcome> HandleAsync(InboundActivity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (Quotes.QuoteAnswers.Answers(activity))
        {
            return await quotes.ApplyAsync(activity, accepted: false, cancellationToken) ? ActivityOutcome.Done : new ActivityOutcome.Ignored("it answers no pending quote of ours");
        }

        if (await directory.GetLocalByActorIdAsync(AcceptHandler.FollowerOf(activity, urls), cancellationToken) is { } account)
        {
            await following.RemoveAsync(account.Id, activity.ActorId, cancellationToken);
        }

        return ActivityOutcome.Done;
    }
}
