using System.Text.Json.Nodes;

namespace ServerlessFedi.Federation;

/// <summary>Publishes an activity of a local account: stores the payload once and enqueues the fan-out. Storage: 1 queue send (+1 blob put when large).</summary>
public sealed class ActivityPublisher(PayloadStore payloads, WorkQueue queue)
{
    public async Task PublishAsync(string accountId, JsonObject activity, IReadOnlyList<string>? extraInboxes, bool skipFollowers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var (inline, blob) = await payloads.StoreAsync(activity.ToJsonString(), cancellationToken);
        await queue.SendFanoutAsync(new FanoutMessage(accountId, inline, blob, null, null, 0, extraInboxes, skipFollowers), cancellationToken);
    }
}
