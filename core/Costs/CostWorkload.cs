namespace ServerlessFedi.Costs;

/// <summary>What an instance does in a month, as the operator describes it (<c>admin costs</c>); the rest is derived in <see cref="CostModel"/>.</summary>
public sealed record CostWorkload
{
    public int Accounts { get; init; } = 50;

    /// <summary>Posts a day per account.</summary>
    public double PostsPerDay { get; init; } = 5;

    /// <summary>Followers of all accounts together (one person following two accounts counts twice).</summary>
    public long Followers { get; init; } = 200_000;

    /// <summary>Distinct servers those followers are on.</summary>
    public long Servers { get; init; } = 8_000;

    /// <summary>Share of posts with an image attachment.</summary>
    public double MediaShare { get; init; } = 0.5;

    /// <summary>Megabytes of the attachment file other servers download (the stored original).</summary>
    public double MediaMb { get; init; } = CostModel.DefaultMediaMb;

    /// <summary>Page and client API requests a month; null: 4,000 per account.</summary>
    public long? Requests { get; init; }

    /// <summary>Memory per instance (Bicep <c>instanceMemoryMB</c>).</summary>
    public int MemoryMb { get; init; } = 2048;

    /// <summary>Always-ready HTTP instances (Bicep <c>alwaysReadyHttpInstances</c>).</summary>
    public int AlwaysReady { get; init; } = 1;

    public MediaDelivery MediaDelivery { get; init; } = MediaDelivery.App;

    /// <summary>A custom domain: Front Door carries every request to the app (Bicep <c>customDomain</c>).</summary>
    public bool CustomDomain { get; init; } = true;

    /// <summary>Every function's Information logs sent to Application Insights (host.json before the sampling cut), not only failures.</summary>
    public bool VerboseTelemetry { get; init; }
}
