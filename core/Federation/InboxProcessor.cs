using System.Text.Json;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Federation.Inbox;
using ServerlessFedi.Moderation;
using ServerlessFedi.Remote;

namespace ServerlessFedi.Federation;

/// <summary>
/// Applies inbound activities from the inbox queue: one exhaustive dispatch over the activity type to the handler of that
/// type (<see cref="IActivityHandler"/>, in <c>Federation/Inbox</c>); types we do not apply are acknowledged and ignored.
/// A handler that needs something unavailable now answers <see cref="ActivityOutcome.RetryLater"/> (so does a transient
/// failure to reach a remote server), which <see cref="RunAsync"/> turns into a new message delayed as deliveries are
/// (<see cref="RetryPolicy"/>: growing delays over two days), then the poison queue with the reason.
/// An activity whose actor or signer the operator suspended (also one queued before the suspension) is ignored.
/// Storage: the handler's, + 1 delete (delivery health of the sender's host) + 1 blob read for a large payload; a retry + 1 queue send.
/// </summary>
public sealed class InboxProcessor(
    PayloadStore payloads,
    DeliveryHealth health,
    RemoteActorStore actorCache,
    IEnumerable<IActivityHandler> handlers,
    ILogger<InboxProcessor> logger,
    ModerationPolicy moderation,
    WorkQueue queue,
    TimeProvider time)
{
    private readonly Dictionary<Type, IActivityHandler> _handlers = handlers.ToDictionary(h => h.GetType());

    public async Task<ActivityOutcome> ProcessAsync(InboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var json = await payloads.LoadAsync(message.Activity, message.PayloadBlob, cancellationToken);
        using var doc = JsonDocument.Parse(json);
        var activity = new InboundActivity(doc.RootElement, ActorDocumentParser.String(doc.RootElement, "actor") ?? message.SignerActorId, message);

        var rules = await moderation.CurrentAsync(cancellationToken);
        if (rules.Suspends(activity.ActorId) || rules.Suspends(message.SignerActorId))
        {
            logger.LogInformation("Ignored {Type} from {Actor}: suspended by the operator", activity.Type ?? "(none)", activity.ActorId);
            return new ActivityOutcome.Ignored("suspended by the operator");
        }

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
    /// The inbox queue's handling of a message: applied or ignored, it is done; "try later" sends it again as a new
    /// message with the next attempt number, delayed by the rule deliveries follow (<see cref="RetryPolicy.NextDelay"/>,
    /// counted from when the activity was received), and when that rule gives up, to <c>&lt;inbox&gt;-poison</c> with the
    /// reason. A transient storage failure still throws, and the host redelivers the message.
    /// </summary>
    public async Task<ActivityOutcome> RunAsync(InboxMessage message, CancellationToken cancellationToken)
    {
        var outcome = await ProcessAsync(message, cancellationToken);
        if (outcome is not ActivityOutcome.RetryLater retry)
        {
            return outcome;
        }

        var seed = message.SignerActorId + "|" + ServerlessFedi.Storage.StorageKeys.Sha256Hex(message.Activity ?? message.PayloadBlob ?? "");
        var delay = RetryPolicy.NextDelay(message.Attempt, time.GetUtcNow() - message.ReceivedAt, seed);
        var next = message with { Attempt = message.Attempt + 1, LastFailure = retry.Reason };
        if (delay is null)
        {
            logger.LogError("Inbound activity from {Actor} failed {Attempts} times ({Reason}); moved to the poison queue", message.SignerActorId, message.Attempt, retry.Reason);
            await queue.SendInboxPoisonAsync(next with { Attempt = message.Attempt }, cancellationToken);
            return outcome;
        }

        logger.LogInformation("Inbound activity from {Actor} must wait ({Reason}); attempt {Next} in {Delay}", message.SignerActorId, retry.Reason, next.Attempt, delay);
        await queue.SendInboxAsync(next, delay, cancellationToken);
        return outcome;
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
        "QuoteRequest" => HandleAsync<QuoteRequestHandler>(activity, cancellationToken),
        "Add" or "Remove" or "EmojiReact" => Task.FromResult<ActivityOutcome>(new ActivityOutcome.Ignored("not applied on this server")),
        _ => Task.FromResult<ActivityOutcome>(new ActivityOutcome.Ignored("unknown activity type")),
    };

    private Task<ActivityOutcome> HandleAsync<THandler>(InboundActivity activity, CancellationToken cancellationToken)
        where THandler : IActivityHandler =>
        _handlers[typeof(THandler)].HandleAsync(activity, cancellationToken);
}
