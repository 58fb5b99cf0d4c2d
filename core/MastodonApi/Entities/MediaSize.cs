using System.Globalization;

namespace ServerlessFedi.MastodonApi.Entities;

/// <summary><c>meta[original]</c> or <c>meta[small]</c> of an image: pixels, <c>"WxH"</c> and the aspect ratio.</summary>
public sealed record MediaSize(int Width, int Height, string Size, double Aspect) : MediaFileMeta
{
    public static MediaSize Of(int width, int height) =>
        new(width, height, string.Create(CultureInfo.InvariantCulture, $"{width}x{height}"), height == 0 ? 0 : width / (double)height);
}
