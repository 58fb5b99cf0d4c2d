using System.Buffers.Binary;

namespace ServerlessFedi.Media.Av;

/// <summary>
/// Reads an Ogg file (RFC 3533) holding one Opus (RFC 7845) or Vorbis (Vorbis I spec) stream: every page is checked
/// (capture pattern, version, CRC, one serial number: multiplexed and chained files are refused), the identification
/// header gives channels, sample rate and Opus's pre-skip, and the last page's granule position gives the duration
/// (Opus: 48 kHz samples minus pre-skip; Vorbis: samples at the stream's rate).
/// </summary>
public static class OggParser
{
    public static AvProbe Parse(ReadOnlySpan<byte> data)
    {
        var (stream, error) = Read(data);
        if (stream is null)
        {
            return AvProbe.Invalid(error!);
        }

        var samples = stream.Codec == "opus" ? stream.LastGranule - stream.PreSkip : stream.LastGranule;
        var rate = stream.Codec == "opus" ? 48000 : stream.SampleRate;
        return AvProbe.Ok(new AvInfo
        {
            Container = AvContainer.Ogg,
            Type = "audio",
            ContentType = "audio/ogg",
            Extension = "ogg",
            Duration = rate > 0 ? Math.Max(0, samples) / (double)rate : 0,
            AudioCodec = stream.Codec,
            SampleRate = rate,
            Channels = stream.Channels,
        });
    }

    /// <summary>The pages, the codec's parameters and how many pages the header packets fill; or why the file is refused.</summary>
    internal static (Stream? Stream, string? Error) Read(ReadOnlySpan<byte> data)
    {
        var pages = new List<OggPage>();
        for (var position = 0; position < data.Length;)
        {
            if (OggPage.Read(data, position) is not { } page)
            {
                return (null, "the Ogg file is malformed or truncated (a page is damaged)");
            }

            if (pages.Count > 0 && (page.Serial != pages[0].Serial || page.BeginsStream))
            {
                return (null, "Ogg files with more than one stream are not supported");
            }

            pages.Add(page);
            position = page.End;
        }

        if (pages.Count == 0 || !pages[0].BeginsStream)
        {
            return (null, "the Ogg file has no beginning of stream");
        }

        var (packets, headerPages) = HeaderPackets(data, pages, 3);
        if (packets.Count == 0)
        {
            return (null, "the Ogg stream has no identification header");
        }

        var id = packets[0];
        string codec;
        int channels, rate, preSkip = 0, headerCount;
        if (id.Length >= 19 && id.AsSpan(0, 8).SequenceEqual("OpusHead"u8))
        {
            (codec, channels, preSkip, rate, headerCount) = ("opus", id[9], BinaryPrimitives.ReadUInt16LittleEndian(id.AsSpan(10)), 48000, 2);
        }
        else if (id.Length >= 30 && id.AsSpan(0, 7).SequenceEqual("\u0001vorbis"u8))
        {
            (codec, channels, rate, headerCount) = ("vorbis", id[11], (int)BinaryPrimitives.ReadUInt32LittleEndian(id.AsSpan(12)), 3);
        }
        else
        {
            return (null, "the Ogg stream is neither Opus nor Vorbis");
        }

        (packets, headerPages) = HeaderPackets(data, pages, headerCount);
        if (packets.Count < headerCount || headerPages < 0)
        {
            return (null, "the Ogg stream's headers are incomplete or do not end on a page boundary");
        }

        var comment = packets[1];
        var expected = codec == "opus" ? "OpusTags"u8 : "\u0003vorbis"u8;
        if (comment.Length < expected.Length || !comment.AsSpan(0, expected.Length).SequenceEqual(expected))
        {
            return (null, "the Ogg stream's comment header is missing");
        }

        var last = pages.LastOrDefault(p => p.Granule != -1);
        return (new Stream(pages, codec, channels, rate, preSkip, headerCount, headerPages, packets, last.Granule), null);
    }

    /// <summary>
    /// The first <paramref name="count"/> packets and the number of pages they fill; the page count is -1 when the last of
    /// them does not end its page exactly (RFC 7845 3 and Vorbis I A.2: audio data starts on a fresh page).
    /// </summary>
    private static (List<byte[]> Packets, int Pages) HeaderPackets(ReadOnlySpan<byte> data, List<OggPage> pages, int count)
    {
        var packets = new List<byte[]>();
        var current = new List<byte>();
        for (var i = 0; i < pages.Count; i++)
        {
            var page = pages[i];
            var body = page.BodyStart;
            var lacing = page.Lacing(data);
            for (var s = 0; s < lacing.Length; s++)
            {
                current.AddRange(data.Slice(body, lacing[s]).ToArray());
                body += lacing[s];
                if (lacing[s] < 255)
                {
                    packets.Add([.. current]);
                    current.Clear();
                    if (packets.Count == count)
                    {
                        return (packets, s == lacing.Length - 1 ? i + 1 : -1);
                    }
                }
            }
        }

        return (packets, -1);
    }

    /// <summary>An Ogg stream as read: its pages, codec parameters, header packets and where they end.</summary>
    internal sealed record Stream(List<OggPage> Pages, string Codec, int Channels, int SampleRate, int PreSkip, int HeaderCount, int HeaderPages, List<byte[]> HeaderPackets, long LastGranule);
}
