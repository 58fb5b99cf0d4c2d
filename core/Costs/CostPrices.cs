using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace ServerlessFedi.Costs;

/// <summary>
/// Unit prices in USD, pay-as-you-go list prices for one region. The defaults are West Europe prices as last seen in 2025,
/// written down on <see cref="DefaultAsOf"/> without access to the price list: check them (Azure pricing calculator or the
/// Retail Prices API) and override any of them with settings <c>Costs__{Property}</c> (e.g. <c>Costs__EgressPerGb</c>,
/// <c>Costs__AsOf</c>, <c>Costs__Region</c>).
/// </summary>
public sealed record CostPrices
{
    public const string DefaultAsOf = "2026-11-26";

    public string Region { get; init; } = "West Europe";

    /// <summary>The day the prices were read.</summary>
    public string AsOf { get; init; } = DefaultAsOf;

    /// <summary>Flex Consumption on-demand execution time, per GB-s, after <see cref="FreeGbSeconds"/>.</summary>
    public double OnDemandGbSecond { get; init; } = 0.000026;

    public double FreeGbSeconds { get; init; } = 100_000;

    /// <summary>Executions per million (on demand and always ready), on demand after <see cref="FreeExecutions"/>.</summary>
    public double ExecutionsPerMillion { get; init; } = 0.40;

    public double FreeExecutions { get; init; } = 250_000;

    /// <summary>Always-ready baseline, per GB-s around the clock.</summary>
    public double AlwaysReadyBaselineGbSecond { get; init; } = 0.000004;

    /// <summary>Execution time on an always-ready instance, per GB-s (no free grant).</summary>
    public double AlwaysReadyGbSecond { get; init; } = 0.000016;

    public double TableTransactionsPer10K { get; init; } = 0.00036;

    public double QueueOperationsPer10K { get; init; } = 0.004;

    /// <summary>Hot blob reads and other operations.</summary>
    public double BlobReadsPer10K { get; init; } = 0.005;

    public double BlobWritesPer10K { get; init; } = 0.065;

    /// <summary>Hot blob capacity, LRS, per GB-month.</summary>
    public double BlobGbMonth { get; init; } = 0.021;

    /// <summary>Log Analytics (Application Insights) ingestion per GB, after <see cref="FreeLogGb"/> per billing account.</summary>
    public double LogIngestionPerGb { get; init; } = 2.30;

    public double FreeLogGb { get; init; } = 5;

    public double FrontDoorBaseMonth { get; init; } = 35;

    public double FrontDoorRequestsPer10K { get; init; } = 0.009;

    /// <summary>Front Door Standard data transfer edge to client (zone 1), per GB.</summary>
    public double FrontDoorEgressPerGb { get; init; } = 0.083;

    /// <summary>Internet egress from Azure (zone 1): the first <see cref="FreeEgressGb"/> free, then tiers by volume.</summary>
    public double FreeEgressGb { get; init; } = 100;

    /// <summary>Per GB up to 10 TB.</summary>
    public double EgressPerGb { get; init; } = 0.087;

    /// <summary>Per GB from 10 TB to 50 TB.</summary>
    public double Egress10TbPerGb { get; init; } = 0.083;

    /// <summary>Per GB from 50 TB to 150 TB.</summary>
    public double Egress50TbPerGb { get; init; } = 0.07;

    /// <summary>Per GB beyond 150 TB.</summary>
    public double Egress150TbPerGb { get; init; } = 0.05;

    /// <summary>The defaults with any <c>Costs:*</c> setting applied; a setting that is not a number is an error naming it.</summary>
    public static CostPrices FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var prices = new CostPrices();
        var section = configuration.GetSection("Costs");
        double Number(string name, double fallback) => section[name] is { Length: > 0 } text
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
                ? value
                : throw new FormatException($"Costs__{name} '{text}' is not a non-negative number.")
            : fallback;

        return prices with
        {
            Region = section["Region"] is { Length: > 0 } region ? region : prices.Region,
            AsOf = section["AsOf"] is { Length: > 0 } asOf ? asOf : prices.AsOf,
            OnDemandGbSecond = Number(nameof(OnDemandGbSecond), prices.OnDemandGbSecond),
            FreeGbSeconds = Number(nameof(FreeGbSeconds), prices.FreeGbSeconds),
            ExecutionsPerMillion = Number(nameof(ExecutionsPerMillion), prices.ExecutionsPerMillion),
            FreeExecutions = Number(nameof(FreeExecutions), prices.FreeExecutions),
            AlwaysReadyBaselineGbSecond = Number(nameof(AlwaysReadyBaselineGbSecond), prices.AlwaysReadyBaselineGbSecond),
            AlwaysReadyGbSecond = Number(nameof(AlwaysReadyGbSecond), prices.AlwaysReadyGbSecond),
            TableTransactionsPer10K = Number(nameof(TableTransactionsPer10K), prices.TableTransactionsPer10K),
            QueueOperationsPer10K = Number(nameof(QueueOperationsPer10K), prices.QueueOperationsPer10K),
            BlobReadsPer10K = Number(nameof(BlobReadsPer10K), prices.BlobReadsPer10K),
            BlobWritesPer10K = Number(nameof(BlobWritesPer10K), prices.BlobWritesPer10K),
            BlobGbMonth = Number(nameof(BlobGbMonth), prices.BlobGbMonth),
            LogIngestionPerGb = Number(nameof(LogIngestionPerGb), prices.LogIngestionPerGb),
            FreeLogGb = Number(nameof(FreeLogGb), prices.FreeLogGb),
            FrontDoorBaseMonth = Number(nameof(FrontDoorBaseMonth), prices.FrontDoorBaseMonth),
            FrontDoorRequestsPer10K = Number(nameof(FrontDoorRequestsPer10K), prices.FrontDoorRequestsPer10K),
            FrontDoorEgressPerGb = Number(nameof(FrontDoorEgressPerGb), prices.FrontDoorEgressPerGb),
            FreeEgressGb = Number(nameof(FreeEgressGb), prices.FreeEgressGb),
            EgressPerGb = Number(nameof(EgressPerGb), prices.EgressPerGb),
            Egress10TbPerGb = Number(nameof(Egress10TbPerGb), prices.Egress10TbPerGb),
            Egress50TbPerGb = Number(nameof(Egress50TbPerGb), prices.Egress50TbPerGb),
            Egress150TbPerGb = Number(nameof(Egress150TbPerGb), prices.Egress150TbPerGb),
        };
    }

    /// <summary>Internet egress for <paramref name="gb"/> in a month, through the free allowance and the volume tiers.</summary>
    public double Egress(double gb)
    {
        var cost = 0.0;
        var rest = Math.Max(0, gb - FreeEgressGb);
        foreach (var (size, price) in new[] { (10_240.0, EgressPerGb), (40_960.0, Egress10TbPerGb), (102_400.0, Egress50TbPerGb), (double.MaxValue, Egress150TbPerGb) })
        {
            var inTier = Math.Min(rest, size);
            cost += inTier * price;
            rest -= inTier;
        }

        return cost;
    }
}
