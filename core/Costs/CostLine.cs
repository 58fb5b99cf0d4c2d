namespace ServerlessFedi.Costs;

/// <summary>One meter of the bill: how much of it a month, at what unit price, what it costs, and how the quantity was counted.</summary>
public sealed record CostLine(string Meter, double Quantity, string Unit, double UnitPrice, double Cost, string Basis);
