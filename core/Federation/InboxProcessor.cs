using System.Text.Json;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Federation.Inbox;
using ServerlessFedi.Remote;

namespace ServerlessFedi.Federation;

/// <summary>
/// Applies inbound activities from the inbox queue: one exhaustive dispatch over the activity type to the handler of that
/// type (<see cref="IActivityHandler"/>, in <c>Federation/Inbox</c>); types we do not apply are acknowledged and ignored.
/// A handler that needs something unavailable now answers <see cref="ActivityOutcome.RetryLater"/> (so does a transient
/// failure to reach a remote server), which <see cref="RetryThroughQueue"/> turns into the queue's redelivery.
/// Storage: the handler's, + 1 delete (delivery health of the sender's host) + 1 blob read for a large payload.
/// </summary>
public sealed class InboxProcessor(PayloadStore payloads, DeliveryHealth health, RemoteActorStore actorCache, IEnumerable<IActivityHandler> handlers, ILogger<InboxProcessor> logger)
{
    private readonly Dictionary<Type, IActivityHandler> _handlers = handlers.ToDictionary(h => h.GetType());

    public async Task<ActivityOutcome> ProcessAsync(InboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var json = await payloads.LoadAsync(message.Activity, message.PayloadBlob, cancellationToken);
        using var doc = JsonDocument.Parse(json);
        var activity = new InboundActivity(doc.RootElement, ActorDocumentParser.String(doc.RootElement, "actor") ?? message.SignerActorId, message);

        // A server that sends us activities is up: deliveries to it may resume.
        await health.RecordSuccessAsync(new Uri(activity.ActorId).Host, cancellationToken);

        ActivityOutcome outcome;
        try
        {
            outcome = await DispatchAsync(activity, cancellationToken);
        }
        catch (RemoteFetchException ex) when (!ex.IsPermanent)
        {
            outcome = new ActivityOutcome.RetryLater(ex.Message);
        }

        // Queued before the actor's own Delete was applied: the actor is gone, so is the activity (no retries, no poison).
        if (outcome is ActivityOutcome.RetryLater && (await actorCache.GetAsync(activity.ActorId, cancellationToken))?.DeletedAt is not null)
        {
            outcome = new ActivityOutcome.Ignored("the actor has deleted itself");
        }

        if (outcome is ActivityOutcome.Ignored ignored)
        {
            logger.LogInformation("Ignored {Type} from {Actor}: {Reason}", activity.Type ?? "(none)", activity.ActorId, ignored.Reason);
        }

        return outcome;
    }

    /// <summary>
    /// The inbox queue's answer to an outcome: a retry fails the message, so the queue delivers it again (at once, then
    /// to the poison queue after its dequeue limit). The one place to change for delayed re-enqueues.
    /// </summary>
    public static void RetryThroughQueue(ActivityOutcome outcome)
    {
        if (outcome is ActivityOutcome.RetryLater retry)
        {
            throw new InboxRetryException(retry.Reason);
        }
    }

    private Task<ActivityOutcome> DispatchAsync(InboundActivity activity, CancellationToken cancellationToken) => activity.Type switch
    {
        "Follow" => HandleAsync<FollowHandler>(activity, cancellationToken),
        "Undo" => HandleAsync<UndoHandler>(activity, cancellationToken),
        "Delete" => HandleAsync<DeleteHandler>(activity, cancellationToken),
        "Update" => HandleAsync<UpdateHandler>(activity, cancellationToken),
        "Accept" => HandleAsync<AcceptHandler>(activity, cancellationToken),
        "Reject" => HandleAsync<RejectHandler>(activity, cancellationToken),
        "Create" => HandleAsync<CreateHandler>(activity, cancellationToken),
        "Like" => HandleAsync<LikeHandler>(activity, cancellationToken),
        "Announce" => HandleAsync<AnnounceHandler>(activity, cancellationToken),
        "Block" => HandleAsync<BlockHandler>(activity, cancellationToken),
        "Flag" => HandleAsync<FlagHandler>(activity, cancellationToken),
        "Move" => HandleAsync<MoveHandler>(activity, cancellationToken),
        "Add" or "Remove" or "EmojiReact" => Task.FromResult<ActivityOutcome>(new ActivityOutcome.Ignored("not applied on this server")),
        _ => Task.FromResult<ActivityOutcome>(new ActivityOutcome.Ignored("unknown activity type")),
    };

    private Task<ActivityOutcome> HandleAsync<THandler>(InboundActivity activity, CancellationToken cancellationToken)
        where THandler : IActivityHandler =>
        _handlers[typeof(THandler)].HandleAsync(activity, cancellationToken);
}
