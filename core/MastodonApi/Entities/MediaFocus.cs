namespace ServerlessFedi.MastodonApi.Entities;

/// <summary><c>meta[focus]</c>: the focal point, x and y in [-1, 1] (docs: api/guidelines#focal-points).</summary>
public sealed record MediaFocus(double X, double Y);
