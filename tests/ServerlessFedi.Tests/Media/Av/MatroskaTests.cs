using ServerlessFedi.Media.Av;

namespace ServerlessFedi.Tests.Media.Av;

/// <summary>WebM: what the headers (or, for a recorder's stream, the blocks) say, and stripping tags in place.</summary>
[TestClass]
public sealed class MatroskaTests
{
    [TestMethod]
    public void A_VP9_and_Opus_clip_reads_with_its_size_rate_and_sound()
    {
        var info = MatroskaParser.Parse(AvFixtures.Read("clip.webm")).Info!;

        Assert.AreEqual(("video", "video/webm", "webm"), (info.Type, info.ContentType, info.Extension));
        Assert.AreEqual((96, 64), (info.Width, info.Height));
        Assert.AreEqual((10L, 1L), (info.FrameRateNumerator, info.FrameRateDenominator));
        Assert.AreEqual(1.008, info.Duration, 0.01);
        Assert.AreEqual(("vp9", "opus", 48000, 1), (info.VideoCodec, info.AudioCodec, info.SampleRate!.Value, info.Channels!.Value));
    }

    [TestMethod]
    public void A_recorded_stream_without_duration_is_timed_from_its_blocks()
    {
        var info = MatroskaParser.Parse(AvFixtures.Read("live.webm")).Info!;

        Assert.AreEqual(("vp8", "vorbis"), (info.VideoCodec, info.AudioCodec));
        Assert.AreEqual(1.0, info.Duration, 0.1);
        Assert.AreEqual(10.0, info.FrameRate, 1.0);
    }

    [TestMethod]
    public void AV1_alone_is_a_video_without_sound()
    {
        var info = MatroskaParser.Parse(AvFixtures.Read("av1.webm")).Info!;

        Assert.AreEqual(("video", "av1", null), (info.Type, info.VideoCodec, info.AudioCodec));
        Assert.AreEqual((64, 48), (info.Width, info.Height));
        Assert.AreEqual(0.5, info.Duration, 0.05);
    }

    [TestMethod]
    public void Other_document_types_codecs_and_truncated_files_are_refused()
    {
        var mkv = AvFixtures.Read("clip.webm");
        "wxyz"u8.CopyTo(mkv.AsSpan(mkv.AsSpan().IndexOf("webm"u8)));
        var h264 = AvFixtures.Read("clip.webm");
        "V_VP7"u8.CopyTo(h264.AsSpan(h264.AsSpan().IndexOf("V_VP9"u8)));

        StringAssert.Contains(MatroskaParser.Parse(mkv).Error, "document type 'wxyz'");
        StringAssert.Contains(MatroskaParser.Parse(h264).Error, "video codec 'V_VP7'");
        Assert.IsNotNull(MatroskaParser.Parse(AvFixtures.Read("clip.webm").AsSpan(0, 200)).Error);
    }

    [TestMethod]
    public void Stripping_removes_tags_title_date_names_and_apps_in_place()
    {
        foreach (var name in new[] { "clip.webm", "live.webm", "av1.webm" })
        {
            var original = AvFixtures.Read(name);
            var stripped = AvFixtures.Read(name);
            var before = MatroskaParser.Parse(original).Info;

            Assert.IsTrue(MatroskaStripper.Strip(stripped), name);

            CollectionAssert.AreEqual(Array.Empty<string>(), AvFixtures.Survivors(stripped).ToArray(), name);
            Assert.IsFalse(MediaFixtures.Contains(stripped, "Lavf"), name + ": the muxing and writing apps are empty");
            Assert.AreEqual(original.Length, stripped.Length, name);
            Assert.AreEqual(before, MatroskaParser.Parse(stripped).Info, name);
        }
    }

    [TestMethod]
    public void After_stripping_the_seek_head_and_cues_still_point_at_the_elements_they_name()
    {
        var data = AvFixtures.Read("clip.webm");
        Assert.IsTrue(MatroskaStripper.Strip(data));

        var segment = EbmlElement.Read(data, Level0(data)[1], data.Length)!.Value;
        var level1 = Children(data, segment);
        Assert.IsFalse(level1.Any(e => e.Id == 0x1254C367), "no Tags left");
        var seekHead = level1.Single(e => e.Id == 0x114D9B74);
        var seeks = Children(data, seekHead).Where(s => s.Id == 0x4DBB).ToList();
        Assert.IsNotEmpty(seeks);
        foreach (var seek in seeks)
        {
            var fields = Children(data, seek);
            var id = fields.Single(f => f.Id == 0x53AB);
            var position = (int)fields.Single(f => f.Id == 0x53AC).ReadUnsigned(data);
            var target = EbmlElement.Read(data, segment.DataStart + position, data.Length)!.Value;
            Assert.AreEqual((uint)id.ReadUnsigned(data), target.Id, "a Seek entry points at the element it names");
        }

        var cues = level1.Single(e => e.Id == 0x1C53BB6B);
        foreach (var point in Children(data, cues))
        {
            var positions = Children(data, Children(data, point).Single(c => c.Id == 0xB7)).Single(c => c.Id == 0xF1);
            Assert.AreEqual(0x1F43B675u, EbmlElement.Read(data, segment.DataStart + (int)positions.ReadUnsigned(data), data.Length)!.Value.Id, "cues point at clusters");
        }
    }

    private static List<int> Level0(byte[] data)
    {
        var starts = new List<int>();
        for (var p = 0; p < data.Length;)
        {
            starts.Add(p);
            var e = EbmlElement.Read(data, p, data.Length)!.Value;
            p = e.End;
        }

        return starts;
    }

    private static List<EbmlElement> Children(byte[] data, EbmlElement parent)
    {
        var list = new List<EbmlElement>();
        for (var p = parent.DataStart; p < parent.End;)
        {
            var e = EbmlElement.Read(data, p, parent.End)!.Value;
            list.Add(e);
            p = e.End;
        }

        return list;
    }
}
