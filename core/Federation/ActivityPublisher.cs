using System.Text.Json.Nodes;
using ServerlessFedi.Accounts;

namespace ServerlessFedi.Federation;

/// <summary>
/// Publishes an activity of a local account: signs it once (FEP-8b32 proof, <see cref="ActivitySigner"/>), stores the
/// payload once and enqueues the fan-out. Storage: 1 queue send (+1 blob put when large).
/// </summary>
public sealed class ActivityPublisher(PayloadStore payloads, WorkQueue queue, ActivitySigner signer, TimeProvider time)
{
    public async Task PublishAsync(LocalAccount account, JsonObject activity, IReadOnlyList<string>? extraInboxes, bool skipFollowers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var (inline, blob) = await payloads.StoreAsync(signer.Sign(account, activity).ToJsonString(), cancellationToken);
        await queue.SendFanoutAsync(new FanoutMessage(account.Id, inline, blob, null, null, 0, extraInboxes, skipFollowers), cancellationToken);
    }

    /// <summary>Publishes the Create of a status: like <see cref="PublishAsync"/>, and local followers get it in their home timeline.</summary>
    public async Task PublishStatusAsync(LocalAccount account, string statusId, JsonObject activity, IReadOnlyList<string>? extraInboxes, bool skipFollowers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var (inline, blob) = await payloads.StoreAsync(signer.Sign(account, activity).ToJsonString(), cancellationToken);
        await queue.SendFanoutAsync(new FanoutMessage(account.Id, inline, blob, null, null, 0, extraInboxes, skipFollowers, statusId), cancellationToken);
    }

    /// <summary>Sends an activity to one inbox (a Follow, an Accept, a Like): 1 queue send (+1 blob put when large).</summary>
    public async Task SendAsync(LocalAccount account, JsonObject activity, string inbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var (inline, blob) = await payloads.StoreAsync(signer.Sign(account, activity).ToJsonString(), cancellationToken);
        await queue.SendDeliveryAsync(new DeliveryMessage(account.Id, inbox, inline, blob, 1, time.GetUtcNow()), null, cancellationToken);
    }
}
