using System.Buffers.Binary;
using System.Text;

namespace ServerlessFedi.Media.Av;

/// <summary>
/// One box of an ISO base media file (ISO/IEC 14496-12 4.2): its four-character type, where it starts, where its payload
/// starts (after the 8- or 16-byte header, and the 16-byte extended type of a <c>uuid</c> box) and where it ends.
/// </summary>
public readonly record struct IsoBox(string Type, int Start, int PayloadStart, int End)
{
    /// <summary>Header of a FullBox: version (1 byte) and flags (3 bytes) at the start of the payload.</summary>
    public int Version(ReadOnlySpan<byte> data) => PayloadStart < End ? data[PayloadStart] : -1;

    public int Flags(ReadOnlySpan<byte> data) =>
        PayloadStart + 4 <= End ? (data[PayloadStart + 1] << 16) | (data[PayloadStart + 2] << 8) | data[PayloadStart + 3] : 0;

    public int PayloadLength => End - PayloadStart;

    /// <summary>
    /// The boxes in <c>[start, end)</c>, in order; null when one is malformed (a size smaller than its header or reaching
    /// past <paramref name="end"/>). Fewer than 8 bytes left over end the list (QuickTime ends some lists with a zero
    /// word); size 0 means "to the end" (ISO 4.2).
    /// </summary>
    public static List<IsoBox>? Children(ReadOnlySpan<byte> data, int start, int end)
    {
        var boxes = new List<IsoBox>();
        var position = start;
        while (end - position >= 8)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(data[position..]);
            var type = Encoding.Latin1.GetString(data.Slice(position + 4, 4));
            var header = 8;
            if (size == 1)
            {
                if (end - position < 16)
                {
                    return null;
                }

                size = (long)BinaryPrimitives.ReadUInt64BigEndian(data[(position + 8)..]);
                header = 16;
            }
            else if (size == 0)
            {
                size = end - position;
            }

            if (type == "uuid")
            {
                header += 16;
            }

            if (size < header || size > end - position)
            {
                return null;
            }

            boxes.Add(new IsoBox(type, position, position + header, position + (int)size));
            position += (int)size;
        }

        return boxes;
    }

    /// <summary>The first child of <paramref name="type"/>, or null (also when the children are malformed).</summary>
    public IsoBox? Child(ReadOnlySpan<byte> data, string type, int skip = 0) =>
        Children(data, PayloadStart + skip, End)?.FirstOrDefault(b => b.Type == type) is { Type: not null } found ? found : null;
}
