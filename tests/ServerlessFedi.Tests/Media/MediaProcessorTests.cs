using System.Diagnostics;
using ServerlessFedi.Errors;
using ServerlessFedi.Media;
using SkiaSharp;

namespace ServerlessFedi.Tests.Media;

/// <summary>The image pipeline on real files: metadata gone, orientation applied, limits enforced before decoding.</summary>
[TestClass]
public sealed class MediaProcessorTests
{
    private static readonly string[] PersonalStrings = ["Jane Doe", "CameraCo", "Snapper", "GPS", "Exif", "xmpmeta", "ns.adobe.com"];

    [TestMethod]
    public void A_JPEG_loses_EXIF_GPS_XMP_and_comments_and_is_turned_upright()
    {
        var input = MediaFixtures.Read("exif-orientation6-gps.jpg");
        Assert.IsTrue(MediaFixtures.Contains(input, "Jane Doe") && MediaFixtures.Contains(input, "Exif"), "the fixture carries the metadata");

        var media = Processed(input);

        foreach (var image in new[] { media.Original, media.Small })
        {
            Assert.AreEqual("image/jpeg", image.ContentType);
            AssertNoPersonalStrings(image.Data);
            var markers = MediaFixtures.JpegMarkers(image.Data);
            Assert.IsFalse(markers.Any(m => m is >= 0xE1 and <= 0xEF or 0xFE), $"APPn/COM segments left: {string.Join(' ', markers.Select(m => m.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)))}");
        }

        // Stored 64x48 with orientation 6: shown 48x64, and the stored top-left (red) is now top-right.
        Assert.AreEqual((48, 64), (media.Original.Width, media.Original.Height));
        using var decoded = SKBitmap.Decode(media.Original.Data);
        Assert.AreEqual((48, 64), (decoded.Width, decoded.Height));
        AssertColour(decoded.GetPixel(40, 8), red: true);
        AssertColour(decoded.GetPixel(8, 8), red: false);
        using var codec = SKCodec.Create(new MemoryStream(media.Original.Data));
        Assert.AreEqual(SKEncodedOrigin.TopLeft, codec.EncodedOrigin, "no orientation tag left to apply twice");
    }

    [TestMethod]
    public void A_PNG_loses_its_text_and_EXIF_chunks_and_keeps_transparency()
    {
        var input = MediaFixtures.Read("text-chunks.png");
        CollectionAssert.IsSubsetOf(new[] { "tEXt", "zTXt", "iTXt", "eXIf" }, MediaFixtures.PngChunks(input));

        var media = Processed(input);

        Assert.AreEqual("image/png", media.Original.ContentType);
        foreach (var image in new[] { media.Original, media.Small })
        {
            AssertNoPersonalStrings(image.Data);
            CollectionAssert.IsSubsetOf(MediaFixtures.PngChunks(image.Data), new[] { "IHDR", "PLTE", "tRNS", "sBIT", "IDAT", "IEND" });
        }

        using var decoded = SKBitmap.Decode(media.Original.Data);
        Assert.AreEqual(0, decoded.GetPixel(0, 0).Alpha, "the transparent corner stays transparent");
        Assert.AreEqual((40, 30), (media.Original.Width, media.Original.Height));
    }

    [TestMethod]
    public void A_still_transparent_GIF_becomes_a_PNG_with_its_transparency()
    {
        var media = Processed(MediaFixtures.Read("transparent.gif"));

        Assert.IsFalse(media.Animated);
        Assert.AreEqual("image/png", media.Original.ContentType);
        AssertNoPersonalStrings(media.Original.Data);
        using var decoded = SKBitmap.Decode(media.Original.Data);
        Assert.AreEqual(0, decoded.GetPixel(2, 8).Alpha, "index 0 is transparent");
        Assert.AreEqual(new SKColor(255, 0, 0, 255), decoded.GetPixel(12, 8));
    }

    [TestMethod]
    public void An_animated_GIF_keeps_its_frames_and_loop_but_loses_comments_XMP_and_trailing_bytes()
    {
        var input = MediaFixtures.Read("animated.gif");

        var media = Processed(input);

        Assert.IsTrue(media.Animated);
        Assert.AreEqual("image/gif", media.Original.ContentType);
        AssertNoPersonalStrings(media.Original.Data);
        Assert.IsFalse(MediaFixtures.Contains(media.Original.Data, "XMP DataXMP"));
        Assert.IsTrue(MediaFixtures.Contains(media.Original.Data, "NETSCAPE2.0"), "the loop count stays");
        Assert.AreEqual(0x3B, media.Original.Data[^1], "nothing after the trailer");
        using var codec = SKCodec.Create(new MemoryStream(media.Original.Data));
        Assert.AreEqual(2, codec.FrameCount);
        Assert.AreEqual("image/png", media.Small.ContentType, "the preview is the first frame");
    }

    [TestMethod]
    public void A_WebP_stays_WebP_without_metadata_chunks()
    {
        var media = Processed(MediaFixtures.Read("photo.webp"));

        Assert.AreEqual("image/webp", media.Original.ContentType);
        Assert.AreEqual((50, 40), (media.Original.Width, media.Original.Height));
        var chunks = MediaFixtures.WebPChunks(media.Original.Data);
        Assert.IsFalse(chunks.Any(c => c is "EXIF" or "XMP " or "ICCP"), string.Join(",", chunks));
    }

    [TestMethod]
    [DataRow("lies.png")]
    public void A_file_that_lies_about_its_type_is_refused(string fixture)
    {
        var result = MediaProcessor.ProcessAttachment(MediaFixtures.Read(fixture));

        Assert.AreEqual(ServiceError.Invalid, result.Error);
        StringAssert.Contains(result.Message, "content type is not supported");
    }

    [TestMethod]
    public void A_file_with_an_image_signature_but_garbage_after_it_is_refused()
    {
        var fake = new byte[200];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(fake, 0);

        var result = MediaProcessor.ProcessAttachment(fake);

        Assert.AreEqual(ServiceError.Invalid, result.Error);
    }

    [TestMethod]
    public void A_decompression_bomb_is_refused_from_its_header_without_decoding()
    {
        var bomb = MediaFixtures.Read("bomb.png");
        Assert.IsLessThan(100, bomb.Length);

        var watch = Stopwatch.StartNew();
        var result = MediaProcessor.ProcessAttachment(bomb);

        Assert.AreEqual(ServiceError.Invalid, result.Error);
        StringAssert.Contains(result.Message, "100000x100000");
        Assert.IsLessThan(2000, watch.ElapsedMilliseconds, "40 GB of pixels were not decoded");
    }

    [TestMethod]
    public void A_file_over_the_size_limit_is_refused_before_anything_else()
    {
        var big = new byte[MediaLimits.ImageSizeLimit + 1];
        big[0] = 0xFF;
        big[1] = 0xD8;
        big[2] = 0xFF;

        var result = MediaProcessor.ProcessAttachment(big);

        Assert.AreEqual(ServiceError.Invalid, result.Error);
        StringAssert.Contains(result.Message, "16 MB");
    }

    [TestMethod]
    public void An_empty_file_is_refused() =>
        Assert.AreEqual(ServiceError.Invalid, MediaProcessor.ProcessAttachment([]).Error);

    [TestMethod]
    public void A_12_megapixel_phone_photo_is_stored_for_other_servers_at_2560x1440_worth_of_pixels_and_jpeg_quality_85()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(4032, 3024, SKColorType.Rgba8888, SKAlphaType.Opaque));
        bitmap.Erase(new SKColor(30, 140, 90));
        using var pixmap = bitmap.PeekPixels();
        using var jpeg = pixmap.Encode(new SKJpegEncoderOptions(95));

        var media = Processed(jpeg!.ToArray());

        Assert.AreEqual((2217, 1662), (media.Original.Width, media.Original.Height));
        // The luminance table's first entry is 16 scaled by the IJG quality factor: 5 at quality 85 (3 at Mastodon's 90).
        var dqt = media.Original.Data.AsSpan().IndexOf(new byte[] { 0xFF, 0xDB });
        Assert.AreEqual(5, media.Original.Data[dqt + 5]);
    }

    [TestMethod]
    public void A_large_photo_is_scaled_to_the_original_and_preview_pixel_budgets()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(4000, 2500, SKColorType.Rgba8888, SKAlphaType.Opaque));
        bitmap.Erase(new SKColor(90, 120, 200));
        using var pixmap = bitmap.PeekPixels();
        using var jpeg = pixmap.Encode(new SKJpegEncoderOptions(80));

        var media = Processed(jpeg!.ToArray());

        Assert.IsLessThanOrEqualTo(MediaLimits.OriginalPixels, media.Original.Width * media.Original.Height);
        Assert.IsGreaterThan(MediaLimits.OriginalPixels * 0.99, media.Original.Width * (double)media.Original.Height);
        Assert.AreEqual(1.6, media.Original.Width / (double)media.Original.Height, 0.01);
        Assert.IsLessThanOrEqualTo(MediaLimits.SmallPixels, media.Small.Width * media.Small.Height);
        Assert.AreEqual(1.6, media.Small.Width / (double)media.Small.Height, 0.01);
    }

    [TestMethod]
    public void Small_images_are_never_enlarged()
    {
        var media = Processed(MediaFixtures.Read("transparent.gif"));

        Assert.AreEqual((16, 16), (media.Original.Width, media.Original.Height));
        Assert.AreEqual((16, 16), (media.Small.Width, media.Small.Height));
    }

    [TestMethod]
    public void Cover_crops_to_an_exact_box_after_orientation_for_avatars_and_headers()
    {
        var result = MediaProcessor.Process(MediaFixtures.Read("exif-orientation6-gps.jpg"), ImageTarget.Cover(40, 40), ImageTarget.Cover(20, 10));

        Assert.IsNotNull(result.Media, result.Message);
        Assert.AreEqual((40, 40), (result.Media!.Original.Width, result.Media.Original.Height));
        Assert.AreEqual((20, 10), (result.Media.Small.Width, result.Media.Small.Height));
        using var decoded = SKBitmap.Decode(result.Media.Original.Data);
        AssertColour(decoded.GetPixel(36, 3), red: true);
    }

    [TestMethod]
    public void Every_processed_image_has_a_blurhash_of_four_by_four_components()
    {
        var media = Processed(MediaFixtures.Read("photo.webp"));

        Assert.HasCount(36, media.Blurhash);
        Assert.AreEqual('U', media.Blurhash[0], "size flag for 4x4 components");
    }

    [TestMethod]
    public void Formats_are_recognised_from_their_bytes()
    {
        Assert.AreEqual(ImageFormat.Jpeg, ImageSniffer.Detect(MediaFixtures.Read("exif-orientation6-gps.jpg")));
        Assert.AreEqual(ImageFormat.Png, ImageSniffer.Detect(MediaFixtures.Read("text-chunks.png")));
        Assert.AreEqual(ImageFormat.Gif, ImageSniffer.Detect(MediaFixtures.Read("animated.gif")));
        Assert.AreEqual(ImageFormat.WebP, ImageSniffer.Detect(MediaFixtures.Read("photo.webp")));
        Assert.AreEqual(ImageFormat.Unknown, ImageSniffer.Detect(MediaFixtures.Read("lies.png")));
        Assert.AreEqual(ImageFormat.Unknown, ImageSniffer.Detect("<svg xmlns='http://www.w3.org/2000/svg'/>"u8));
    }

    private static ProcessedMedia Processed(byte[] input)
    {
        var result = MediaProcessor.ProcessAttachment(input);
        Assert.IsNotNull(result.Media, result.Message);
        return result.Media;
    }

    private static void AssertNoPersonalStrings(byte[] data)
    {
        foreach (var s in PersonalStrings)
        {
            Assert.IsFalse(MediaFixtures.Contains(data, s), $"'{s}' survived processing");
        }
    }

    private static void AssertColour(SKColor colour, bool red)
    {
        if (red)
        {
            Assert.IsTrue(colour.Red > 180 && colour.Green < 80 && colour.Blue < 80, $"expected red, got {colour}");
        }
        else
        {
            Assert.IsTrue(colour.Red < 120, $"expected not red, got {colour}");
        }
    }
}
