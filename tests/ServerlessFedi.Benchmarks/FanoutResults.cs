namespace ServerlessFedi.Benchmarks;

/// <summary>Scenario B: seeding (excluded from the results), fan-out, deliveries, and the signing cost measured beside them.</summary>
public sealed record FanoutResults(
    int Followers,
    int Inboxes,
    TimeSpan SeedTime,
    int FanoutPages,
    TimeSpan FanoutTime,
    long DeliveriesEnqueued,
    int Pollers,
    int BatchSize,
    TimeSpan DeliveryTime,
    DrainResult DeliveryDrain,
    long Delivered,
    int DistinctInboxes,
    int MaxPostsPerInbox,
    long UnsignedPosts,
    CpuUse DeliveryCpu,
    SignatureTimings Signatures,
    StorageBaselineResult Baseline,
    ProofTimings Proofs)
{
    public const string SeedPhase = "seed";
    public const string FanoutPhase = "fanout";
    public const string DeliverPhase = "deliver";
    public const string BaselinePhase = "baseline";

    public double DeliveriesPerSecond => DeliveryDrain.Messages / DeliveryTime.TotalSeconds;

    public bool Passed => DeliveriesEnqueued == Inboxes && Delivered == Inboxes && DistinctInboxes == Inboxes && MaxPostsPerInbox == 1 && UnsignedPosts == 0;
}
