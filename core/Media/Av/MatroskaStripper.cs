using System.Buffers.Binary;

namespace ServerlessFedi.Media.Av;

/// <summary>
/// Removes metadata from a WebM file in place by turning elements into Void elements of the same size (RFC 8794 11.3.2:
/// Void "MAY be used for padding" and readers skip it), so every position the SeekHead and Cues record stays right:
/// <c>Tags</c> (title, artist, location, encoder, dates) and <c>Attachments</c> (cover art, whatever files) at any place
/// in the Segment, the SeekHead entries that pointed to them, Info's <c>Title</c> and <c>DateUTC</c>, and track
/// <c>Name</c>s. <c>MuxingApp</c> and <c>WritingApp</c> are mandatory, so their text is zeroed (an empty string, RFC 8794
/// 7.4). A Vorbis track's comment header (in its CodecPrivate) is blanked the same way. Clusters are left as they are.
/// </summary>
public static class MatroskaStripper
{
    /// <summary>Strips <paramref name="data"/> in place; false when its structure cannot be read.</summary>
    public static bool Strip(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var top = Matroska.Children(data, 0, data.Length);
        if (top?.FirstOrDefault(e => e.Id == Matroska.Segment) is not { Id: not 0 } segment || Matroska.Children(data, segment.DataStart, segment.End) is not { } level1)
        {
            return false;
        }

        foreach (var element in level1)
        {
            switch (element.Id)
            {
                case Matroska.Tags or Matroska.Attachments:
                    MakeVoid(data, element);
                    break;
                case Matroska.SeekHead:
                    foreach (var seek in Matroska.Children(data, element.DataStart, element.End) ?? [])
                    {
                        var target = seek.Id == Matroska.Seek
                            ? Matroska.Children(data, seek.DataStart, seek.End)?.FirstOrDefault(s => s.Id == Matroska.SeekId)
                            : null;
                        if (target is { Id: not 0 } id && id.End - id.DataStart == 4
                            && BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(id.DataStart)) is Matroska.Tags or Matroska.Attachments)
                        {
                            MakeVoid(data, seek);
                        }
                    }

                    break;
                case Matroska.Info:
                    if (Matroska.Children(data, element.DataStart, element.End) is not { } info)
                    {
                        return false;
                    }

                    foreach (var child in info)
                    {
                        if (child.Id is Matroska.Title or Matroska.DateUtc)
                        {
                            MakeVoid(data, child);
                        }
                        else if (child.Id is Matroska.MuxingApp or Matroska.WritingApp)
                        {
                            data.AsSpan(child.DataStart, child.End - child.DataStart).Clear();
                        }
                    }

                    break;
                case Matroska.Tracks:
                    foreach (var entry in Matroska.Children(data, element.DataStart, element.End) ?? [])
                    {
                        var fields = Matroska.Children(data, entry.DataStart, entry.End) ?? [];
                        foreach (var name in fields.Where(c => c.Id == Matroska.Name))
                        {
                            MakeVoid(data, name);
                        }

                        var codec = fields.FirstOrDefault(c => c.Id == Matroska.CodecId);
                        var codecPrivate = fields.FirstOrDefault(c => c.Id == Matroska.CodecPrivate);
                        if (codec.Id != 0 && codecPrivate.Id != 0 && codec.ReadText(data) == "A_VORBIS")
                        {
                            BlankVorbisComment(data.AsSpan(codecPrivate.DataStart, codecPrivate.End - codecPrivate.DataStart));
                        }
                    }

                    break;
                default:
                    break;
            }
        }

        return true;
    }

    /// <summary>
    /// A Vorbis track's CodecPrivate holds its three headers, Xiph-laced (RFC 9559 A.1: packet count minus one, then the
    /// sizes of all but the last as runs of 255 ending in a smaller byte). The second, the comment header, carries the
    /// vendor and any comments copied from an Ogg source; it is blanked without changing its length.
    /// </summary>
    private static void BlankVorbisComment(Span<byte> codecPrivate)
    {
        if (codecPrivate.Length < 3 || codecPrivate[0] != 2)
        {
            return;
        }

        var position = 1;
        var sizes = new int[2];
        for (var i = 0; i < 2; i++)
        {
            while (position < codecPrivate.Length && codecPrivate[position] == 255)
            {
                sizes[i] += 255;
                position++;
            }

            if (position >= codecPrivate.Length)
            {
                return;
            }

            sizes[i] += codecPrivate[position++];
        }

        var comment = position + sizes[0];
        if (comment + sizes[1] <= codecPrivate.Length && sizes[1] >= 7 && codecPrivate[comment] == 3)
        {
            XiphComment.Blank(codecPrivate.Slice(comment, sizes[1]), "vorbis");
        }
    }

    /// <summary>
    /// Overwrites the element with a Void element spanning exactly the same bytes: ID 0xEC, a size written in as many
    /// bytes as make the lengths add up (RFC 8794 4.4 allows longer-than-needed sizes), then zeros.
    /// </summary>
    private static void MakeVoid(byte[] data, EbmlElement element)
    {
        var total = element.End - element.Start;
        var span = data.AsSpan(element.Start, total);
        span.Clear();
        span[0] = (byte)Matroska.Void;
        var sizeLength = Math.Min(8, total - 1);
        var payload = (ulong)(total - 1 - sizeLength);
        // Marker bit at the top of the first size byte, the payload length in the bits below.
        for (var i = sizeLength; i >= 1; i--)
        {
            span[i] = (byte)(payload & 0xFF);
            payload >>= 8;
        }

        span[1] |= (byte)(0x80 >> (sizeLength - 1));
    }
}
