using System.Buffers.Binary;
using ServerlessFedi.Media.Av;

namespace ServerlessFedi.Tests.Media.Av;

/// <summary>MP4, QuickTime and M4A: what the movie header says, and stripping it of location and device metadata in place.</summary>
[TestClass]
public sealed class IsoMediaTests
{
    [TestMethod]
    public void An_iPhone_like_QuickTime_clip_reads_as_an_MP4_video_with_its_size_rate_and_sound()
    {
        var info = IsoMediaParser.Parse(AvFixtures.Read("iphone.mov")).Info!;

        Assert.AreEqual("video", info.Type);
        Assert.AreEqual("video/mp4", info.ContentType, "QuickTime with these codecs is served as MP4");
        Assert.AreEqual("mp4", info.Extension);
        Assert.AreEqual((96, 64), (info.Width, info.Height));
        Assert.AreEqual((10L, 1L), (info.FrameRateNumerator, info.FrameRateDenominator));
        Assert.AreEqual(1.0, info.Duration, 0.01);
        Assert.AreEqual(("h264", "aac", 22050, 1), (info.VideoCodec, info.AudioCodec, info.SampleRate!.Value, info.Channels!.Value));
    }

    [TestMethod]
    public void A_rotation_matrix_turns_the_display_size()
    {
        var info = IsoMediaParser.Parse(AvFixtures.Read("portrait.mp4")).Info!;

        Assert.AreEqual((64, 96), (info.Width, info.Height));
        Assert.AreEqual(96 * 64, info.Pixels);
        Assert.AreEqual((22050, 1), (info.SampleRate!.Value, info.Channels!.Value), "from the AAC config: the MP4 sample entry says 2 channels");
    }

    [TestMethod]
    public void HEVC_without_sound_and_AAC_without_picture_are_read()
    {
        var hevc = IsoMediaParser.Parse(AvFixtures.Read("hevc.mp4")).Info!;
        var m4a = IsoMediaParser.Parse(AvFixtures.Read("voice.m4a")).Info!;

        Assert.AreEqual(("video", "hevc", null), (hevc.Type, hevc.VideoCodec, hevc.AudioCodec));
        Assert.AreEqual(("audio", "audio/mp4", "m4a", "aac", 1), (m4a.Type, m4a.ContentType, m4a.Extension, m4a.AudioCodec, m4a.Channels!.Value));
        Assert.AreEqual(1.0, m4a.Duration, 0.05);
        Assert.AreEqual(0, m4a.Width);
    }

    [TestMethod]
    public void A_fragmented_MP4_is_timed_from_its_fragments()
    {
        var info = IsoMediaParser.Parse(AvFixtures.Read("fragmented.mp4")).Info!;

        Assert.AreEqual("video", info.Type);
        // Ten frames whose durations add up to 1.05 s (the first lasts longer): the average rate, as ffprobe's avg_frame_rate.
        Assert.AreEqual((25600L, 2679L), (info.FrameRateNumerator, info.FrameRateDenominator));
        Assert.AreEqual(1.05, info.Duration, 0.01);
    }

    [TestMethod]
    public void Unsupported_codecs_truncated_files_and_files_without_a_movie_are_refused()
    {
        var mp4v = AvFixtures.Read("hevc.mp4");
        var entry = mp4v.AsSpan().IndexOf("hvc1"u8);
        "mp4v"u8.CopyTo(mp4v.AsSpan(entry));
        var truncated = AvFixtures.Read("portrait.mp4")[..^100];
        var noMovie = AvFixtures.Read("iphone.mov");
        "junk"u8.CopyTo(noMovie.AsSpan(IsoBoxStart(noMovie, "moov") + 4));

        StringAssert.Contains(IsoMediaParser.Parse(mp4v).Error, "video codec 'mp4v' is not supported");
        StringAssert.Contains(IsoMediaParser.Parse(truncated).Error, "malformed or truncated");
        StringAssert.Contains(IsoMediaParser.Parse(noMovie).Error, "no movie header");
    }

    [TestMethod]
    public void Stripping_an_iPhone_like_clip_removes_GPS_device_and_XMP_and_keeps_every_sample_in_place()
    {
        var original = AvFixtures.Read("iphone.mov");
        var stripped = AvFixtures.Read("iphone.mov");
        CollectionAssert.IsSubsetOf(new[] { "52.5200", "iPhone", "17.4.1", "xmpmeta" }, AvFixtures.Survivors(original).ToList(), "the fixture carries them");
        var before = IsoMediaParser.Parse(original).Info!;

        Assert.IsTrue(IsoMediaStripper.Strip(stripped));

        CollectionAssert.AreEqual(Array.Empty<string>(), AvFixtures.Survivors(stripped).ToArray());
        Assert.IsFalse(MediaFixtures.Contains(stripped, "com.apple.quicktime"));
        Assert.IsFalse(MediaFixtures.Contains(stripped, "\u00A9xyz"));
        Assert.AreEqual(original.Length, stripped.Length, "boxes become free boxes of the same size");
        Assert.AreEqual(before, IsoMediaParser.Parse(stripped).Info, "the clip reads the same");

        // The picture and sound tracks keep their chunk offsets, and the bytes there are the same.
        var tracksBefore = AvFixtures.Tracks(original);
        var tracksAfter = AvFixtures.Tracks(stripped);
        CollectionAssert.AreEqual(new[] { "vide", "soun", "meta" }, tracksBefore.Select(t => t.Handler).ToArray());
        CollectionAssert.AreEqual(new[] { "vide", "soun" }, tracksAfter.Select(t => t.Handler).ToArray(), "the timed metadata track is gone");
        for (var i = 0; i < 2; i++)
        {
            CollectionAssert.AreEqual(tracksBefore[i].ChunkOffsets, tracksAfter[i].ChunkOffsets);
        }

        var mdat = AvFixtures.Box(original, "mdat")!.Value;
        CollectionAssert.AreEqual(original[mdat.Start..mdat.End], stripped[mdat.Start..mdat.End], "the first mdat is untouched");

        // moov holds no udta, meta or uuid any more, and no creation time.
        var moov = AvFixtures.Box(stripped, "moov")!.Value;
        CollectionAssert.AreEqual(new[] { "mvhd", "trak", "trak", "free", "free", "free", "free" }, AvFixtures.Children(stripped, moov).Select(b => b.Type).ToArray());
        var mvhd = AvFixtures.Box(stripped, "moov", "mvhd")!.Value;
        Assert.AreEqual(0UL, BinaryPrimitives.ReadUInt64BigEndian(stripped.AsSpan(mvhd.PayloadStart + 4)));
    }

    [TestMethod]
    public void Stripping_a_clip_whose_movie_precedes_its_media_keeps_the_offsets_right()
    {
        var original = AvFixtures.Read("portrait.mp4");
        var stripped = AvFixtures.Read("portrait.mp4");
        Assert.IsLessThan(IsoBoxStart(original, "mdat"), IsoBoxStart(original, "moov"), "faststart layout");

        Assert.IsTrue(IsoMediaStripper.Strip(stripped));

        CollectionAssert.AreEqual(Array.Empty<string>(), AvFixtures.Survivors(stripped).ToArray());
        Assert.AreEqual(IsoBoxStart(original, "mdat"), IsoBoxStart(stripped, "mdat"));
        var mdat = AvFixtures.Box(original, "mdat")!.Value;
        CollectionAssert.AreEqual(original[mdat.Start..mdat.End], stripped[mdat.Start..mdat.End]);
        foreach (var (before, after) in AvFixtures.Tracks(original).Zip(AvFixtures.Tracks(stripped)))
        {
            CollectionAssert.AreEqual(before.ChunkOffsets, after.ChunkOffsets);
            Assert.IsTrue(after.ChunkOffsets.All(o => o >= mdat.PayloadStart && o < mdat.End), "every chunk still points into mdat");
        }

        Assert.AreEqual(IsoMediaParser.Parse(original).Info, IsoMediaParser.Parse(stripped).Info);
    }

    [TestMethod]
    public void Stripping_fragmented_and_audio_only_files_keeps_them_readable()
    {
        foreach (var name in new[] { "fragmented.mp4", "voice.m4a", "hevc.mp4" })
        {
            var data = AvFixtures.Read(name);
            var before = IsoMediaParser.Parse(data).Info;

            Assert.IsTrue(IsoMediaStripper.Strip(data), name);

            CollectionAssert.AreEqual(Array.Empty<string>(), AvFixtures.Survivors(data).ToArray(), name);
            Assert.AreEqual(before, IsoMediaParser.Parse(data).Info, name);
        }
    }

    private static int IsoBoxStart(byte[] data, string type) => AvFixtures.Box(data, type)!.Value.Start;
}
