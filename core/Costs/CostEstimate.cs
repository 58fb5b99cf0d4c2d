namespace ServerlessFedi.Costs;

/// <summary>The monthly estimate: every meter, and the derived workload the meters were counted from.</summary>
public sealed record CostEstimate(IReadOnlyList<CostLine> Lines, IReadOnlyList<(string Name, double Value)> Workload, CostPrices Prices)
{
    public double Total => Lines.Sum(l => l.Cost);

    public CostLine Largest => Lines.MaxBy(l => l.Cost)!;
}
