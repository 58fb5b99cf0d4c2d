using System.Buffers.Binary;
using ServerlessFedi.Errors;
using ServerlessFedi.Media;
using ServerlessFedi.Media.Av;

namespace ServerlessFedi.Tests.Media.Av;

/// <summary>The audio/video pipeline as a whole: recognition from the bytes, Mastodon's limits, posters, hostile input.</summary>
[TestClass]
public sealed class AvProcessorTests
{
    private static readonly string[] Fixtures =
        ["iphone.mov", "portrait.mp4", "fragmented.mp4", "hevc.mp4", "voice.m4a", "clip.webm", "live.webm", "av1.webm", "tags.mp3", "cbr.mp3", "opus.ogg", "vorbis.ogg", "info.wav"];

    [TestMethod]
    public void Every_container_is_recognised_from_its_bytes_and_images_are_not()
    {
        var expected = new[]
        {
            AvContainer.IsoMedia, AvContainer.IsoMedia, AvContainer.IsoMedia, AvContainer.IsoMedia, AvContainer.IsoMedia,
            AvContainer.Matroska, AvContainer.Matroska, AvContainer.Matroska, AvContainer.Mp3, AvContainer.Mp3, AvContainer.Ogg, AvContainer.Ogg, AvContainer.Wave,
        };

        CollectionAssert.AreEqual(expected, Fixtures.Select(f => MediaSniffer.DetectContainer(AvFixtures.Read(f))).ToArray());
        foreach (var image in new[] { "photo.webp", "transparent.gif", "exif-orientation6-gps.jpg", "lies.png" })
        {
            Assert.AreEqual(AvContainer.Unknown, MediaSniffer.DetectContainer(MediaFixtures.Read(image)), image);
        }
    }

    [TestMethod]
    public void Every_fixture_probes_strips_and_probes_the_same_again_without_personal_strings()
    {
        foreach (var name in Fixtures)
        {
            var data = AvFixtures.Read(name);
            var probe = AvProcessor.Probe(data);
            Assert.IsNull(probe.Error, name);

            var stripped = AvProcessor.Strip(data, probe.Info!);

            Assert.IsNotNull(stripped, name);
            CollectionAssert.AreEqual(Array.Empty<string>(), AvFixtures.Survivors(stripped).ToArray(), name);
            Assert.AreEqual(probe.Info, AvProcessor.Probe(stripped).Info, name);
        }
    }

    [TestMethod]
    public void Frames_over_the_matrix_limit_and_rates_over_120_fps_are_refused()
    {
        var huge = AvFixtures.Read("hevc.mp4");
        var entry = huge.AsSpan().IndexOf("hvc1"u8) + 4;
        BinaryPrimitives.WriteUInt16BigEndian(huge.AsSpan(entry + 24), 4096);
        BinaryPrimitives.WriteUInt16BigEndian(huge.AsSpan(entry + 26), 2160);
        var fast = AvFixtures.Read("hevc.mp4");
        var stts = fast.AsSpan().IndexOf("stts"u8) + 4;
        var delta = BinaryPrimitives.ReadUInt32BigEndian(fast.AsSpan(stts + 12));
        BinaryPrimitives.WriteUInt32BigEndian(fast.AsSpan(stts + 12), delta / 13);

        StringAssert.Contains(AvProcessor.Probe(huge).Error, "at most 8294400 pixels");
        StringAssert.Contains(AvProcessor.Probe(fast).Error, "over 120 frames per second");
    }

    [TestMethod]
    public void Files_over_99_MB_and_unknown_bytes_are_refused()
    {
        StringAssert.Contains(AvProcessor.Probe(new byte[MediaLimits.VideoSizeLimit + 1]).Error, "99 MB");
        StringAssert.Contains(AvProcessor.Probe("plain text, not a clip"u8.ToArray()).Error, "not supported");
        StringAssert.Contains(AvProcessor.Probe([]).Error, "blank");
    }

    [TestMethod]
    public void Damaged_files_are_refused_or_read_but_never_throw()
    {
        var random = new Random(1515);
        foreach (var name in Fixtures)
        {
            var original = AvFixtures.Read(name);
            for (var i = 0; i < 60; i++)
            {
                var damaged = i < 20 ? original[..random.Next(1, original.Length)] : (byte[])original.Clone();
                for (var flips = 0; i >= 20 && flips < 1 + (i % 8); flips++)
                {
                    damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
                }

                var probe = AvProcessor.Probe(damaged);
                if (probe.Info is { } info)
                {
                    _ = AvProcessor.Strip(damaged, info);
                }
            }
        }
    }

    [TestMethod]
    public void The_neutral_poster_has_the_clips_aspect_and_no_metadata()
    {
        var video = AvProcessor.Probe(AvFixtures.Read("portrait.mp4")).Info!;
        var audio = AvProcessor.Probe(AvFixtures.Read("opus.ogg")).Info!;

        var videoPoster = AvProcessor.Poster(null, video).Media!;
        var audioPoster = AvProcessor.Poster(null, audio).Media!;

        Assert.AreEqual("image/png", videoPoster.Original.ContentType);
        Assert.AreEqual(64 / 96.0, videoPoster.Original.Width / (double)videoPoster.Original.Height, 0.02);
        Assert.IsLessThanOrEqualTo(MediaLimits.SmallPixels, videoPoster.Original.Width * videoPoster.Original.Height);
        Assert.AreEqual((640, 360), (audioPoster.Original.Width, audioPoster.Original.Height));
        Assert.MatchesRegex("^U[0-9A-Za-z#$%*+,\\-.:;=?@\\[\\]^_{|}~]{35}$", videoPoster.Blurhash);
        CollectionAssert.AreEqual(NeutralPoster.Render("video", 64, 96), NeutralPoster.Render("video", 64, 96), "the same clip gets the same poster");
    }

    [TestMethod]
    public void A_client_thumbnail_goes_through_the_image_pipeline()
    {
        var video = AvProcessor.Probe(AvFixtures.Read("clip.webm")).Info!;

        var poster = AvProcessor.Poster(MediaFixtures.Read("exif-orientation6-gps.jpg"), video).Media!;
        var refused = AvProcessor.Poster(MediaFixtures.Read("lies.png"), video);

        Assert.AreEqual("image/jpeg", poster.Original.ContentType);
        Assert.AreEqual((48, 64), (poster.Original.Width, poster.Original.Height), "upright, as the EXIF orientation says");
        Assert.IsFalse(MediaFixtures.Contains(poster.Original.Data, "Exif"));
        Assert.AreEqual(ServiceError.Invalid, refused.Error);
        StringAssert.StartsWith(refused.Message, "Validation failed: Thumbnail");
    }
}
