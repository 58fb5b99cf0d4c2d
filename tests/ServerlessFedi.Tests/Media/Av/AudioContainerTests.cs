using ServerlessFedi.Media.Av;

namespace ServerlessFedi.Tests.Media.Av;

/// <summary>MP3, Ogg (Opus, Vorbis) and WAV: what they say about themselves, and what is left after stripping.</summary>
[TestClass]
public sealed class AudioContainerTests
{
    [TestMethod]
    [DataRow("tags.mp3", 1.071)]
    [DataRow("cbr.mp3", 1.071)]
    public void MP3_duration_comes_from_the_Xing_count_or_the_frames(string name, double seconds)
    {
        var info = Mp3Parser.Parse(AvFixtures.Read(name)).Info!;

        Assert.AreEqual(("audio", "audio/mpeg", "mp3", "mp3"), (info.Type, info.ContentType, info.Extension, info.AudioCodec));
        Assert.AreEqual(seconds, info.Duration, 0.01);
        Assert.AreEqual((22050, 1), (info.SampleRate!.Value, info.Channels!.Value));
    }

    [TestMethod]
    public void Stripping_an_MP3_leaves_only_its_frames()
    {
        var original = AvFixtures.Read("tags.mp3");
        Assert.IsTrue(original.AsSpan().StartsWith("ID3"u8) && original.AsSpan()[^128..].StartsWith("TAG"u8), "the fixture has ID3v2 and ID3v1");

        var stripped = Mp3Stripper.Strip(original)!;

        CollectionAssert.AreEqual(Array.Empty<string>(), AvFixtures.Survivors(stripped).ToArray());
        Assert.AreEqual(0xFF, stripped[0]);
        Assert.IsFalse(stripped.AsSpan()[^128..].StartsWith("TAG"u8));
        Assert.AreEqual(Mp3Parser.Parse(original).Info, Mp3Parser.Parse(stripped).Info);
        var firstFrame = original.AsSpan().IndexOf(stripped.AsSpan(0, 64));
        CollectionAssert.AreEqual(original.AsSpan(firstFrame, stripped.Length).ToArray(), stripped, "the frames, byte for byte");
    }

    [TestMethod]
    public void Opus_and_Vorbis_in_Ogg_are_timed_from_the_last_granule_position()
    {
        var opus = OggParser.Parse(AvFixtures.Read("opus.ogg")).Info!;
        var vorbis = OggParser.Parse(AvFixtures.Read("vorbis.ogg")).Info!;

        Assert.AreEqual(("audio/ogg", "opus", 48000, 1), (opus.ContentType, opus.AudioCodec, opus.SampleRate!.Value, opus.Channels!.Value));
        Assert.AreEqual(1.0, opus.Duration, 0.01);
        Assert.AreEqual(("vorbis", 22050), (vorbis.AudioCodec, vorbis.SampleRate!.Value));
        Assert.AreEqual(1.0, vorbis.Duration, 0.01);
    }

    [TestMethod]
    [DataRow("opus.ogg")]
    [DataRow("vorbis.ogg")]
    public void Stripping_Ogg_empties_the_comment_header_and_repages_with_valid_checksums(string name)
    {
        var original = AvFixtures.Read(name);
        var (before, _) = OggParser.Read(original);

        var stripped = OggStripper.Strip(original)!;

        CollectionAssert.AreEqual(Array.Empty<string>(), AvFixtures.Survivors(stripped).ToArray());
        Assert.IsFalse(MediaFixtures.Contains(stripped, "Lavf"), "no vendor string");
        var (after, error) = OggParser.Read(stripped);
        Assert.IsNull(error, "every page's CRC and the headers check out");
        Assert.AreEqual(OggParser.Parse(original).Info, OggParser.Parse(stripped).Info);
        CollectionAssert.AreEqual(Enumerable.Range(0, after!.Pages.Count).Select(i => (uint)i).ToArray(), after.Pages.Select(p => p.Sequence).ToArray(), "pages numbered without gaps");
        if (before!.HeaderCount == 3)
        {
            CollectionAssert.AreEqual(before.HeaderPackets[2], after.HeaderPackets[2], "the Vorbis setup header is kept");
        }

        var audioBefore = before.Pages.Skip(before.HeaderPages).Select(p => (p.Granule, original[p.BodyStart..p.End])).ToList();
        var audioAfter = after.Pages.Skip(after.HeaderPages).Select(p => (p.Granule, stripped[p.BodyStart..p.End])).ToList();
        Assert.HasCount(audioBefore.Count, audioAfter);
        for (var i = 0; i < audioBefore.Count; i++)
        {
            Assert.AreEqual(audioBefore[i].Granule, audioAfter[i].Granule);
            CollectionAssert.AreEqual(audioBefore[i].Item2, audioAfter[i].Item2);
        }
    }

    [TestMethod]
    public void A_second_stream_or_a_damaged_page_is_refused()
    {
        var damaged = AvFixtures.Read("opus.ogg");
        damaged[^10] ^= 0x55;
        var chained = AvFixtures.Read("opus.ogg").Concat(AvFixtures.Read("vorbis.ogg")).ToArray();

        StringAssert.Contains(OggParser.Parse(damaged).Error, "damaged");
        StringAssert.Contains(OggParser.Parse(chained).Error, "more than one stream");
    }

    [TestMethod]
    public void WAV_keeps_its_format_and_samples_and_loses_INFO_and_bext()
    {
        var original = AvFixtures.Read("info.wav");
        var info = WaveParser.Parse(original).Info!;
        Assert.AreEqual(("audio", "audio/wav", "pcm_s16le", 8000, 1), (info.Type, info.ContentType, info.AudioCodec, info.SampleRate!.Value, info.Channels!.Value));
        Assert.AreEqual(0.5, info.Duration, 0.001);

        var stripped = WaveStripper.Strip(original)!;

        CollectionAssert.AreEqual(Array.Empty<string>(), AvFixtures.Survivors(stripped).ToArray());
        CollectionAssert.AreEqual(new[] { "fmt ", "data" }, MediaFixtures.WebPChunks(stripped), "RIFF chunks after the header");
        Assert.AreEqual(stripped.Length - 8, BitConverter.ToInt32(stripped, 4), "the RIFF size is right");
        var dataBefore = original.AsSpan().IndexOf("data"u8);
        var dataAfter = stripped.AsSpan().IndexOf("data"u8);
        CollectionAssert.AreEqual(original[dataBefore..(dataBefore + 8 + 8000)], stripped[dataAfter..(dataAfter + 8 + 8000)]);
        Assert.AreEqual(info, WaveParser.Parse(stripped).Info);
    }

    [TestMethod]
    public void A_WAV_that_is_not_PCM_is_refused()
    {
        var adpcm = AvFixtures.Read("info.wav");
        adpcm[adpcm.AsSpan().IndexOf("fmt "u8) + 8] = 2;

        StringAssert.Contains(WaveParser.Parse(adpcm).Error, "not PCM");
    }
}
