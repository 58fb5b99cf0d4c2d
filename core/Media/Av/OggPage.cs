using System.Buffers.Binary;

namespace ServerlessFedi.Media.Av;

/// <summary>
/// One Ogg page (RFC 3533 6): header type flags (0x01 continued packet, 0x02 beginning of stream, 0x04 end), granule
/// position, stream serial number, page sequence number, the segment table and the body. Positions are in the file.
/// </summary>
public readonly record struct OggPage(int Start, byte HeaderType, long Granule, uint Serial, uint Sequence, int SegmentCount, int BodyStart, int End)
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    public bool Continued => (HeaderType & 0x01) != 0;

    public bool BeginsStream => (HeaderType & 0x02) != 0;

    /// <summary>The page's lacing values (segment sizes; a value below 255 ends a packet).</summary>
    public ReadOnlySpan<byte> Lacing(ReadOnlySpan<byte> data) => data.Slice(Start + 27, SegmentCount);

    /// <summary>The page at <paramref name="position"/>, or null when it is not a complete, well-formed page with a correct CRC.</summary>
    public static OggPage? Read(ReadOnlySpan<byte> data, int position)
    {
        if (data.Length - position < 27 || !data.Slice(position, 4).SequenceEqual("OggS"u8) || data[position + 4] != 0)
        {
            return null;
        }

        int segments = data[position + 26];
        var bodyStart = position + 27 + segments;
        if (bodyStart > data.Length)
        {
            return null;
        }

        var bodyLength = 0;
        foreach (var lace in data.Slice(position + 27, segments))
        {
            bodyLength += lace;
        }

        var end = bodyStart + bodyLength;
        if (end > data.Length || Crc(data[position..end]) != BinaryPrimitives.ReadUInt32LittleEndian(data[(position + 22)..]))
        {
            return null;
        }

        return new OggPage(position, data[position + 5], BinaryPrimitives.ReadInt64LittleEndian(data[(position + 6)..]),
            BinaryPrimitives.ReadUInt32LittleEndian(data[(position + 14)..]), BinaryPrimitives.ReadUInt32LittleEndian(data[(position + 18)..]),
            segments, bodyStart, end);
    }

    /// <summary>
    /// The page checksum (RFC 3533 6): CRC-32 with polynomial 0x04C11DB7, no reflection, initial value and final XOR 0,
    /// over the whole page with its checksum field taken as zero.
    /// </summary>
    public static uint Crc(ReadOnlySpan<byte> page)
    {
        uint crc = 0;
        for (var i = 0; i < page.Length; i++)
        {
            var b = i is >= 22 and < 26 ? (byte)0 : page[i];
            crc = (crc << 8) ^ CrcTable[(int)(((crc >> 24) ^ b) & 0xFF)];
        }

        return crc;
    }

    /// <summary>Writes the page's checksum into its header (after any change to the page).</summary>
    public static void WriteCrc(Span<byte> page) => BinaryPrimitives.WriteUInt32LittleEndian(page[22..], Crc(page));

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var r = i << 24;
            for (var bit = 0; bit < 8; bit++)
            {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            }

            table[i] = r;
        }

        return table;
    }
}
