using System.Runtime.CompilerServices;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// The deliveries this process completed (a 2xx, or a refusal for good) in the last <see cref="Lifetime"/>, by inbox and
/// activity. A delivery message whose completion was not recorded in the queue (the host's delete of the message failed
/// after a storage fault, or the process died just after the POST) becomes visible again when its lease runs out (the
/// host holds a message up to 10 minutes); it is then recognised here and not POSTed a second time. Memory only: another
/// instance that receives the message sends it again, which receivers tolerate (activities are idempotent by id).
/// </summary>
public sealed class DeliveredLedger(TimeProvider time)
{
    /// <summary>Longer than the queue lease (10 minutes) plus the retry visibility delay, so a reappearing message finds its entry.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    /// <summary>About 100 bytes each: at most some 10 MB, enough for 110 deliveries a second for the whole lifetime.</summary>
    public const int Capacity = 100_000;

    private readonly ExpiringCache<bool> _delivered = new(Lifetime, Capacity, time);

    /// <summary>
    /// The SHA-256 of each inline activity, kept while its string lives: a fan-out page's deliveries share one string,
    /// so its 1,000 deliveries hash the activity once, not twice each.
    /// </summary>
    private readonly ConditionalWeakTable<string, string> _activityHashes = new();

    public bool WasDelivered(DeliveryMessage message) => _delivered.TryGet(Key(message), out _);

    public void RecordDelivered(DeliveryMessage message) => _delivered.Set(Key(message), true);

    /// <summary>The inbox and the activity as queued (the hash of its inline JSON, or its payload blob's content-hash name): every attempt shares it.</summary>
    private string Key(DeliveryMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var activity = message.Activity is { } json ? _activityHashes.GetValue(json, StorageKeys.Sha256Hex) : message.PayloadBlob ?? "";
        return StorageKeys.Sha256Hex(message.Inbox + "\n" + activity);
    }
}
