using System.Globalization;

namespace ServerlessFedi.Media;

/// <summary>The focal point of an image (docs: api/guidelines#focal-points), as apps send it.</summary>
public static class FocalPoint
{
    /// <summary>Mastodon's focus parameter: <c>x,y</c>, each a number from -1.0 to 1.0 (docs: api/guidelines#focal-points).</summary>
    public static (double? X, double? Y, string? Error) Parse(string? focus)
    {
        if (string.IsNullOrWhiteSpace(focus))
        {
            return (null, null, null);
        }

        var parts = focus.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var y)
            && x is >= -1 and <= 1 && y is >= -1 and <= 1)
        {
            return (Math.Round(x, 2), Math.Round(y, 2), null);
        }

        return (null, null, "Validation failed: focus must be two numbers from -1.0 to 1.0, as 'x,y'");
    }
}
