namespace ServerlessFedi.Benchmarks;

/// <summary>Scenario B: seeding (excluded from the results), the post, fan-out, deliveries, and the floor (signing, loopback POST) measured beside them.</summary>
public sealed record FanoutResults(
    int Followers,
    int Inboxes,
    TimeSpan SeedTime,
    TimeSpan PostTime,
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
    LoopbackPostTimings Loopback,
    StorageBaselineResult Baseline,
    ProofTimings Proofs)
{
    public const string SeedPhase = "seed";
    public const string PostPhase = "post";
    public const string FanoutPhase = "fanout";
    public const string DeliverPhase = "deliver";
    public const string BaselinePhase = "baseline";

    /// <summary>Deliveries per second from the fan-out's start to the last delivery (the first ones are made by the fan-out itself).</summary>
    public double DeliveriesPerSecond => Delivered / (DeliveryTime + FanoutTime).TotalSeconds;

    /// <summary>Bare RSA-2048 signatures per second on all the machine's cores: what deliveries cannot exceed here.</summary>
    public double SigningFloorPerSecond => Environment.ProcessorCount * 1e6 / Signatures.RsaMicroseconds;

    /// <summary>A delivery's floor on this machine: its RSA signature on one core plus its POST over loopback, serially.</summary>
    public double FloorMicroseconds => Signatures.RsaMicroseconds + Loopback.Microseconds;

    /// <summary>Deliveries per second at the floor, on one core.</summary>
    public double FloorPerSecond => 1e6 / FloorMicroseconds;

    public bool Passed => DeliveriesEnqueued == Inboxes && Delivered == Inboxes && DistinctInboxes == Inboxes && MaxPostsPerInbox == 1 && UnsignedPosts == 0;
}
