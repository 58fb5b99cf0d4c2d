namespace ServerlessFedi.Media;

/// <summary>
/// The size an image is rendered to: <see cref="Fit"/> keeps the aspect ratio within a pixel budget and never
/// enlarges (media originals and previews); <see cref="Cover"/> scales to cover an exact box and crops the overflow
/// around the centre (avatars 400x400, headers 1500x500, as Mastodon).
/// </summary>
public sealed record ImageTarget
{
    private ImageTarget(int? maxPixels, int? width, int? height)
    {
        MaxPixels = maxPixels;
        Width = width;
        Height = height;
    }

    public int? MaxPixels { get; }

    public int? Width { get; }

    public int? Height { get; }

    public static ImageTarget Fit(int maxPixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPixels, 1);
        return new(maxPixels, null, null);
    }

    public static ImageTarget Cover(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        return new(null, width, height);
    }

    /// <summary>The output size for a source of <paramref name="width"/>x<paramref name="height"/> (already oriented).</summary>
    public (int Width, int Height) SizeFor(int width, int height)
    {
        if (Width is { } w && Height is { } h)
        {
            return (w, h);
        }

        var pixels = (long)width * height;
        if (pixels <= MaxPixels!.Value)
        {
            return (width, height);
        }

        var scale = Math.Sqrt(MaxPixels.Value / (double)pixels);
        return (Math.Max(1, (int)Math.Floor(width * scale)), Math.Max(1, (int)Math.Floor(height * scale)));
    }
}
