using System.Text.Json;
using ServerlessFedi.Configuration;

namespace ServerlessFedi.Federation.Inbox;

/// <summary>
/// <c>Accept</c> of a local account's <c>Follow</c>: a requested follow becomes accepted (of our <c>QuoteRequest</c>:
/// <see cref="Quotes.QuoteAnswers"/>). The Follow is found from the
/// embedded copy's <c>actor</c>, or from our Follow id (<c>{actor}#follows/...</c>) when only referenced.
/// </summary>
public sealed class AcceptHandler(AccountDirectory directory, FollowingStore following, InstanceUrls urls, Quotes.QuoteAnswers quotes) : IActivityHandler
{
    public async Task<ActivityOutcome> HandleAsync(InboundActivity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (Quotes.QuoteAnswers.Answers(activity))
        {
            return await quotes.ApplyAsync(activity, accepted: true, cancellationToken) ? ActivityOutcome.Done : new ActivityOutcome.Ignored("it answers no pending quote of ours");
        }

        return await directory.GetLocalByActorIdAsync(FollowerOf(activity, urls), cancellationToken) is { } account && await following.AcceptAsync(account.Id, activity.ActorId, cancellationToken)
            ? ActivityOutcome.Done
            : new ActivityOutcome.Ignored("it answers no pending follow of ours");
    }

    /// <summary>The actor of the Follow an Accept or Reject answers: the embedded Follow's actor, or the actor part of our Follow id.</summary>
    internal static string? FollowerOf(InboundActivity activity, InstanceUrls urls)
    {
        var follow = activity.ObjectElement;
        return follow.ValueKind switch
        {
            JsonValueKind.Object => ActorDocumentParser.String(follow, "actor"),
            JsonValueKind.String => urls.ActorOfActivity(follow.GetString()),
            _ => null,
        };
    }
}
