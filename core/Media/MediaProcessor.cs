using System.Globalization;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace ServerlessFedi.Media;

/// <summary>
/// The image pipeline every upload goes through (attachments now, avatars and headers later): recognise the format from
/// the bytes, refuse oversized files and canvases from the header alone, decode with Skia (scaled down while decoding
/// where the codec can), apply the EXIF orientation, render to the target size and re-encode. Re-encoding writes pixels
/// only, so EXIF (GPS, camera, author), XMP, IPTC, ICC profiles and PNG text chunks never reach storage.
/// Animated GIFs keep their frames: they are rewritten block by block without their metadata (see <see cref="GifRewriter"/>).
/// Pure and thread-safe: no storage, no clock. Memory: the decoded source (at most <see cref="MediaLimits.ImageMatrixLimit"/>
/// pixels x 4 bytes before scaled decoding) plus the rendered original.
/// </summary>
public static class MediaProcessor
{
    /// <summary>Mastodon encodes at 90; 85 is visually the same on photos and 20 % smaller (docs/DEPLOY.md, "What it costs").</summary>
    private const int OriginalJpegQuality = 85;
    private const int SmallJpegQuality = 80;
    private const int WebPQuality = 85;

    /// <summary>Components of the BlurHash, as Mastodon computes it.</summary>
    private const int BlurHashComponents = 4;

    /// <summary>A media attachment: the original within <see cref="MediaLimits.OriginalPixels"/>, a preview within <see cref="MediaLimits.SmallPixels"/>.</summary>
    public static MediaProcessingResult ProcessAttachment(byte[] data) =>
        Process(data, ImageTarget.Fit(MediaLimits.OriginalPixels), ImageTarget.Fit(MediaLimits.SmallPixels));

    public static MediaProcessingResult Process(byte[] data, ImageTarget original, ImageTarget small)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(small);
        if (data.Length == 0)
        {
            return MediaProcessingResult.Invalid("Validation failed: File can't be blank");
        }

        if (data.Length > MediaLimits.ImageSizeLimit)
        {
            return MediaProcessingResult.Invalid($"Validation failed: File size must be at most {MediaLimits.ImageSizeLimit / (1024 * 1024)} MB");
        }

        var format = ImageSniffer.Detect(data);
        if (format == ImageFormat.Unknown)
        {
            return Unsupported();
        }

        // Creating the codec parses the header only; no pixel is decoded before the dimensions are checked.
        using var skData = SKData.CreateCopy(data);
        using var codec = SKCodec.Create(skData);
        if (codec is null || codec.EncodedFormat != SkiaFormat(format))
        {
            return Unsupported();
        }

        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width < 1 || height < 1 || (long)width * height > MediaLimits.ImageMatrixLimit)
        {
            return MediaProcessingResult.Invalid(
                string.Create(CultureInfo.InvariantCulture, $"Validation failed: {width}x{height} images are not supported (at most {MediaLimits.ImageMatrixLimit} pixels)"));
        }

        var animatedGif = format == ImageFormat.Gif && codec.FrameCount > 1;
        var origin = animatedGif ? SKEncodedOrigin.TopLeft : codec.EncodedOrigin;
        var rotated = (int)origin >= (int)SKEncodedOrigin.LeftTop;
        var (orientedWidth, orientedHeight) = rotated ? (height, width) : (width, height);

        // Render the original first; the preview is made from it, so both show the same orientation.
        var originalSize = animatedGif ? (orientedWidth, orientedHeight) : original.SizeFor(orientedWidth, orientedHeight);
        using var source = Decode(codec, DecodeScale(codec, width, height, rotated ? (originalSize.Item2, originalSize.Item1) : originalSize));
        if (source is null)
        {
            return MediaProcessingResult.Invalid("Validation failed: File could not be decoded as an image");
        }

        var opaque = codec.Info.AlphaType == SKAlphaType.Opaque;
        using var rendered = Render(source, origin, original, opaque);
        ProcessedImage originalImage;
        if (animatedGif)
        {
            if (GifRewriter.Strip(data) is not { } gif)
            {
                return MediaProcessingResult.Invalid("Validation failed: File could not be decoded as an image");
            }

            originalImage = new ProcessedImage(gif.Gif, "image/gif", "gif", width, height);
        }
        else
        {
            originalImage = Encode(rendered, format, opaque, OriginalJpegQuality);
        }

        using var preview = Render(rendered, SKEncodedOrigin.TopLeft, small, opaque);
        var smallImage = Encode(preview, format, opaque, SmallJpegQuality);
        return MediaProcessingResult.Ok(new ProcessedMedia(originalImage, smallImage, ComputeBlurHash(preview), animatedGif));
    }

    private static MediaProcessingResult Unsupported() =>
        MediaProcessingResult.Invalid("Validation failed: File content type is not supported (JPEG, PNG, GIF or WebP images only)");

    private static SKEncodedImageFormat SkiaFormat(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => SKEncodedImageFormat.Jpeg,
        ImageFormat.Png => SKEncodedImageFormat.Png,
        ImageFormat.Gif => SKEncodedImageFormat.Gif,
        _ => SKEncodedImageFormat.Webp,
    };

    /// <summary>The smallest size the codec can decode to directly that is still at least the target (JPEG scales by eighths).</summary>
    private static SKSizeI DecodeScale(SKCodec codec, int width, int height, (int Width, int Height) target)
    {
        var scale = Math.Max(target.Width / (float)width, target.Height / (float)height);
        if (scale >= 1)
        {
            return new SKSizeI(width, height);
        }

        var scaled = codec.GetScaledDimensions(scale);
        return scaled.Width >= target.Width && scaled.Height >= target.Height && scaled.Width <= width ? scaled : new SKSizeI(width, height);
    }

    private static SKBitmap? Decode(SKCodec codec, SKSizeI size)
    {
        var alpha = codec.Info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul;
        // Decoding into sRGB converts wide-gamut photos (Display P3) before the ICC profile is discarded.
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, alpha, SKColorSpace.CreateSrgb());
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            return null;
        }

        return bitmap;
    }

    /// <summary>Draws <paramref name="source"/> upright (per <paramref name="origin"/>) at the target's size, with mipmapped sampling.</summary>
    private static SKBitmap Render(SKBitmap source, SKEncodedOrigin origin, ImageTarget target, bool opaque)
    {
        var rotated = (int)origin >= (int)SKEncodedOrigin.LeftTop;
        var (orientedWidth, orientedHeight) = rotated ? (source.Height, source.Width) : (source.Width, source.Height);
        var (width, height) = target.SizeFor(orientedWidth, orientedHeight);

        // Scale of the oriented image: fit exactly, or cover the box and crop the overflow around the centre.
        var scale = Math.Max(width / (float)orientedWidth, height / (float)orientedHeight);
        var drawnWidth = orientedWidth * scale;
        var drawnHeight = orientedHeight * scale;
        var offsetX = (drawnWidth - width) / 2;
        var offsetY = (drawnHeight - height) / 2;

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, opaque ? SKAlphaType.Opaque : SKAlphaType.Premul);
        var output = new SKBitmap(info);
        using var canvas = new SKCanvas(output);
        canvas.Clear(opaque ? SKColors.White : SKColors.Transparent);
        var matrix = SKMatrix.CreateTranslation(-offsetX, -offsetY).PreConcat(Orientation(origin, drawnWidth, drawnHeight));
        canvas.SetMatrix(in matrix);
        using var image = SKImage.FromBitmap(source);
        var (unorientedWidth, unorientedHeight) = rotated ? (drawnHeight, drawnWidth) : (drawnWidth, drawnHeight);
        // Mipmaps only pay off when shrinking; an upright copy at the same size needs none.
        var sampling = scale < 1 ? new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear) : new SKSamplingOptions(SKFilterMode.Linear);
        canvas.DrawImage(image, SKRect.Create(unorientedWidth, unorientedHeight), sampling);
        canvas.Flush();
        return output;
    }

    /// <summary>Maps stored pixel coordinates to upright ones for an upright size of <paramref name="w"/>x<paramref name="h"/> (EXIF orientation 1-8).</summary>
    private static SKMatrix Orientation(SKEncodedOrigin origin, float w, float h) => origin switch
    {
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, w, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, w, -1, 0, h, 0, 0, 1),
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, h, 0, 0, 1),
        _ => SKMatrix.Identity,
    };

    /// <summary>JPEG stays JPEG and WebP stays WebP; PNG and still GIF become PNG (lossless, keeps transparency).</summary>
    private static ProcessedImage Encode(SKBitmap bitmap, ImageFormat source, bool opaque, int jpegQuality)
    {
        using var pixmap = bitmap.PeekPixels();
        SKData? encoded;
        string contentType;
        string extension;
        switch (source)
        {
            case ImageFormat.Jpeg when opaque:
                encoded = pixmap.Encode(new SKJpegEncoderOptions(jpegQuality));
                (contentType, extension) = ("image/jpeg", "jpg");
                break;
            case ImageFormat.WebP:
                encoded = pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, WebPQuality));
                (contentType, extension) = ("image/webp", "webp");
                break;
            default:
                encoded = pixmap.Encode(SKPngEncoderOptions.Default);
                (contentType, extension) = ("image/png", "png");
                break;
        }

        using (encoded)
        {
            if (encoded is null)
            {
                throw new InvalidOperationException($"Skia could not encode {contentType}.");
            }

            return new ProcessedImage(encoded.ToArray(), contentType, extension, bitmap.Width, bitmap.Height);
        }
    }

    private static string ComputeBlurHash(SKBitmap preview)
    {
        // Unpremultiplied RGBA, as the reference encoder reads pixels.
        var info = new SKImageInfo(preview.Width, preview.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var pixels = new byte[info.BytesSize];
        var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try
        {
            using var pixmap = preview.PeekPixels();
            if (!pixmap.ReadPixels(info, handle.AddrOfPinnedObject(), info.RowBytes, 0, 0))
            {
                throw new InvalidOperationException("Skia could not read the preview's pixels.");
            }
        }
        finally
        {
            handle.Free();
        }

        return BlurHash.Encode(pixels, info.Width, info.Height, info.RowBytes, BlurHashComponents, BlurHashComponents);
    }
}
