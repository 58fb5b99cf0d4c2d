using System.Text.Json.Nodes;
using ServerlessFedi.Accounts;

namespace ServerlessFedi.Federation;

/// <summary>
/// Publishes an activity of a local account: signs it once (FEP-8b32 proof, <see cref="ActivitySigner"/>), stores the
/// payload once and enqueues the fan-out. Storage: 1 queue send (+1 blob put when large).
/// </summary>
public sealed class ActivityPublisher(PayloadStore payloads, WorkQueue queue, ActivitySigner signer, TimeProvider time)
{
    /// <summary>Publishes <paramref name="activity"/>; a boost of a local status hands its <paramref name="boost"/> effects to the same message.</summary>
    public async Task PublishAsync(LocalAccount account, JsonObject activity, IReadOnlyList<string>? extraInboxes, bool skipFollowers, CancellationToken cancellationToken, LocalBoost? boost = null)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var (inline, blob) = await payloads.StoreAsync(signer.Sign(account, activity).ToJsonString(), cancellationToken);
        await queue.SendFanoutAsync(new FanoutMessage(account.Id, inline, blob, null, null, 0, extraInboxes, skipFollowers, Boost: boost), cancellationToken);
    }

    /// <summary>
    /// Publishes the <c>Create</c>, <c>Update</c> or <c>Delete</c> of a local status: like <see cref="PublishAsync"/>, and every
    /// delivery carries its <see cref="DeliverySubject"/>, so an attempt made after a newer version or the deletion sends the
    /// current state instead (<see cref="DeliveryRecheck"/>). Local followers get a Create in their home timeline. A post's
    /// Create carries its request's <paramref name="audit"/> row, which its first message records, and is sent by turning
    /// its <paramref name="guard"/> into the fan-out's first message (<see cref="WorkQueue.UpdatePostGuardAsync"/>: 1 queue
    /// update instead of 1 send; a guard whose delay ran out is finishing the post itself, and the Create is sent anyway:
    /// a repeated fan-out is harmless, a missing one is not).
    /// </summary>
    public async Task PublishStatusAsync(LocalAccount account, Statuses.Status status, JsonObject activity, IReadOnlyList<string>? extraInboxes, bool skipFollowers, CancellationToken cancellationToken, Team.PendingAudit? audit = null, QueueReceipt? guard = null)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(activity);
        var type = (string?)activity["type"];
        if (type is not (DeliverySubject.Create or DeliverySubject.Update or DeliverySubject.Delete))
        {
            throw new ArgumentException($"A status is published by a Create, Update or Delete, not {type}.", nameof(activity));
        }

        var subject = new DeliverySubject(status.Id, type, DeliveryRecheck.VersionOf(status));
        var (inline, blob) = await payloads.StoreAsync(signer.Sign(account, activity).ToJsonString(), cancellationToken);
        var homeStatusId = type == DeliverySubject.Create ? status.Id : null;
        var message = new FanoutMessage(account.Id, inline, blob, null, null, 0, extraInboxes, skipFollowers, homeStatusId, Subject: subject, Audit: audit);
        if (guard is null || !await queue.UpdatePostGuardAsync(guard, message, cancellationToken))
        {
            await queue.SendFanoutAsync(message, cancellationToken);
        }
    }

    /// <summary>
    /// How long a post's guard stays invisible: longer than any request may run (Azure's front end cuts HTTP requests
    /// at 230 seconds), so a guard only fires for a request that died.
    /// </summary>
    public static readonly TimeSpan GuardDelay = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Sent before a post is stored: a <see cref="PostGuardMessage"/>, invisible for <see cref="GuardDelay"/>, that the
    /// request turns into its fan-out's first message once the post is stored (<see cref="PublishStatusAsync"/>'s
    /// <c>guard</c>). A process dying between storing a post and that update so delays the post by <see cref="GuardDelay"/>
    /// instead of losing it: the guard reappears and finishes the post. It carries the request's <paramref name="audit"/>
    /// row, recorded only if the guard fires and finds the post stored. 1 queue send.
    /// </summary>
    public Task<QueueReceipt> GuardStatusAsync(string accountId, string statusId, Team.PendingAudit? audit, CancellationToken cancellationToken) =>
        queue.SendPostGuardAsync(new PostGuardMessage(accountId, statusId, Audit: audit), GuardDelay, cancellationToken);

    /// <summary>Sends an activity to one inbox (a Follow, an Accept, a Like): 1 queue send (+1 blob put when large).</summary>
    public async Task SendAsync(LocalAccount account, JsonObject activity, string inbox, CancellationToken cancellationToken) =>
        await queue.SendDeliveryAsync(await DeliveryAsync(account, activity, inbox, cancellationToken), null, cancellationToken);

    /// <summary>
    /// The first attempt's delivery of an activity to one inbox, signed, for a queue function that delivers it itself
    /// (<see cref="DeliveryProcessor.DeliverNowAsync"/>): none (+1 blob put when large).
    /// </summary>
    public async Task<DeliveryMessage> DeliveryAsync(LocalAccount account, JsonObject activity, string inbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var (inline, blob) = await payloads.StoreAsync(signer.Sign(account, activity).ToJsonString(), cancellationToken);
        return new DeliveryMessage(account.Id, inbox, inline, blob, 1, time.GetUtcNow());
    }

    /// <summary>
    /// Sends an activity of the instance actor to one inbox (a forwarded report's Flag), signed at delivery with the instance
    /// actor's key (HTTP signature only: the instance actor has no FEP-8b32 key). 1 queue send (+1 blob put when large).
    /// </summary>
    public async Task SendAsInstanceAsync(JsonObject activity, string inbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var (inline, blob) = await payloads.StoreAsync(activity.ToJsonString(), cancellationToken);
        await queue.SendDeliveryAsync(new DeliveryMessage(DeliveryMessage.InstanceSender, inbox, inline, blob, 1, time.GetUtcNow()), null, cancellationToken);
    }
}
