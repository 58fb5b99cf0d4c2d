using SkiaSharp;

namespace ServerlessFedi.Media.Av;

/// <summary>
/// The preview shown for a video or audio clip without a thumbnail from the client: drawn here, with no frame of the clip
/// (nothing decodes video in this app) and no third-party artwork. A slate field at the clip's aspect ratio (about
/// 640x360 pixels) with a light disc and a play triangle for video, or three sound bars for audio. PNG.
/// </summary>
public static class NeutralPoster
{
    private static readonly SKColor Field = new(0x2B, 0x34, 0x40);
    private static readonly SKColor Disc = new(0xE4, 0xE8, 0xEE);
    private static readonly SKColor Mark = new(0x2B, 0x34, 0x40);

    public static byte[] Render(string type, int width, int height)
    {
        var (w, h) = Size(width, height);
        using var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(Field);
            var radius = Math.Min(w, h) * 0.22f;
            var (cx, cy) = (w / 2f, h / 2f);
            using var disc = new SKPaint { Color = Disc, IsAntialias = true };
            canvas.DrawCircle(cx, cy, radius, disc);
            using var mark = new SKPaint { Color = Mark, IsAntialias = true };
            if (type == "video")
            {
                using var builder = new SKPathBuilder();
                builder.AddPoly([new(cx - (radius * 0.35f), cy - (radius * 0.5f)), new(cx + (radius * 0.55f), cy), new(cx - (radius * 0.35f), cy + (radius * 0.5f))], true);
                using var triangle = builder.Detach();
                canvas.DrawPath(triangle, mark);
            }
            else
            {
                var bar = radius * 0.16f;
                foreach (var (dx, tall) in new[] { (-2.2f, 0.45f), (0f, 0.8f), (2.2f, 0.6f) })
                {
                    var x = cx + (dx * bar);
                    canvas.DrawRoundRect(SKRect.Create(x - (bar / 2), cy - (radius * tall / 2), bar, radius * tall), bar / 2, bar / 2, mark);
                }
            }
        }

        using var pixmap = bitmap.PeekPixels();
        using var png = pixmap.Encode(SKPngEncoderOptions.Default) ?? throw new InvalidOperationException("Skia could not encode the poster.");
        return png.ToArray();
    }

    /// <summary>About <see cref="MediaLimits.SmallPixels"/> pixels at the clip's aspect ratio (enlarging is fine: it is drawn), 640x360 without one.</summary>
    private static (int Width, int Height) Size(int width, int height)
    {
        if (width <= 0 || height <= 0)
        {
            return (640, 360);
        }

        var scale = Math.Sqrt(MediaLimits.SmallPixels / ((double)width * height));
        return (Math.Clamp((int)Math.Round(width * scale), 16, 4096), Math.Clamp((int)Math.Round(height * scale), 16, 4096));
    }
}
