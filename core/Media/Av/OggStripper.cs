using System.Buffers.Binary;

namespace ServerlessFedi.Media.Av;

/// <summary>
/// Empties the comment header of an Ogg Opus or Vorbis stream: the vendor string (the encoder) and every user comment
/// (title, artist, location, cover art, ...) go; what remains is a valid empty header (<c>OpusTags</c>, RFC 7845 5.2;
/// Vorbis I 5, with its framing bit). The header packets after the identification page are laid out on fresh pages
/// (a Vorbis setup header shares them), and every later page is renumbered and gets a new CRC; audio pages keep their
/// bodies and granule positions.
/// </summary>
public static class OggStripper
{
    /// <summary>The stripped file; null when the file is not a stream <see cref="OggParser"/> accepts.</summary>
    public static byte[]? Strip(ReadOnlySpan<byte> data)
    {
        var (stream, _) = OggParser.Read(data);
        if (stream is null)
        {
            return null;
        }

        var comment = XiphComment.Empty(stream.Codec);
        List<byte[]> packets = stream.HeaderCount == 3 ? [comment, stream.HeaderPackets[2]] : [comment];

        var first = stream.Pages[0];
        using var output = new MemoryStream(data.Length);
        output.Write(data[first.Start..first.End]);
        var sequence = first.Sequence;
        foreach (var page in Paginate(packets, first.Serial))
        {
            BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(18), ++sequence);
            OggPage.WriteCrc(page);
            output.Write(page);
        }

        foreach (var page in stream.Pages.Skip(stream.HeaderPages))
        {
            var copy = data[page.Start..page.End].ToArray();
            BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(18), ++sequence);
            OggPage.WriteCrc(copy);
            output.Write(copy);
        }

        return output.ToArray();
    }

    /// <summary>Pages (granule 0, checksum and sequence left to the caller) carrying <paramref name="packets"/>, at most 255 segments each.</summary>
    private static List<byte[]> Paginate(List<byte[]> packets, uint serial)
    {
        var pages = new List<byte[]>();
        var lacing = new List<byte>();
        var body = new List<byte>();
        var continued = false;
        void Flush(bool nextContinues)
        {
            var page = new byte[27 + lacing.Count + body.Count];
            "OggS"u8.CopyTo(page);
            page[5] = (byte)(continued ? 0x01 : 0x00);
            BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(14), serial);
            page[26] = (byte)lacing.Count;
            lacing.ToArray().CopyTo(page, 27);
            body.ToArray().CopyTo(page, 27 + lacing.Count);
            pages.Add(page);
            lacing.Clear();
            body.Clear();
            continued = nextContinues;
        }

        foreach (var packet in packets)
        {
            for (var offset = 0; ; offset += 255)
            {
                var length = Math.Min(255, packet.Length - offset);
                if (lacing.Count == 255)
                {
                    Flush(nextContinues: true);
                }

                lacing.Add((byte)length);
                body.AddRange(packet.AsSpan(offset, length).ToArray());
                if (length < 255)
                {
                    break;
                }
            }

            if (lacing.Count == 255)
            {
                Flush(nextContinues: false);
            }
        }

        if (lacing.Count > 0)
        {
            Flush(nextContinues: false);
        }

        return pages;
    }
}
