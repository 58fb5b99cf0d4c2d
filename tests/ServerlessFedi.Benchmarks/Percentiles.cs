namespace ServerlessFedi.Benchmarks;

/// <summary>Nearest-rank percentiles of a sample of durations.</summary>
public sealed record Percentiles(double MedianMs, double P95Ms, double MaxMs, double MeanMs)
{
    public static Percentiles Of(IReadOnlyCollection<TimeSpan> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            return new(0, 0, 0, 0);
        }

        var sorted = samples.Select(s => s.TotalMilliseconds).Order().ToArray();
        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new(Rank(0.5), Rank(0.95), sorted[^1], sorted.Average());
    }
}
