using System.Buffers.Binary;

namespace ServerlessFedi.Media.Av;

/// <summary>
/// Removes location, device and editing metadata from an MP4, QuickTime or M4A file in place: every box that carries it
/// becomes a <c>free</c> box of the same size with zeroed content (ISO/IEC 14496-12 8.1.2: free space "may be ignored").
/// Sizes and positions stay as they were, so no parent size, chunk offset (<c>stco</c>/<c>co64</c>), fragment base
/// offset (<c>tfhd</c>, <c>trun</c>), <c>sidx</c> reference or <c>mfra</c> entry needs rewriting, whether <c>moov</c> comes
/// before or after <c>mdat</c>; the cost is the removed bytes staying in the file as zeros (a few kilobytes).
/// Removed: top-level boxes other than the structural ones (XMP <c>uuid</c>, <c>meta</c>, <c>udta</c>, <c>emsg</c>, ...),
/// <c>udta</c> (©xyz location, ©mak, ©mod, ©swr, ...), <c>meta</c> (Apple's mdta keys: location, make, model, software,
/// creation date) and <c>uuid</c> in <c>moov</c> and every track, and whole tracks that are not picture, sound, text or
/// timecode (timed metadata such as Apple's <c>mebx</c> or GoPro's GPMF carry GPS), whose samples in <c>mdat</c> are
/// zeroed too. Creation and modification times in <c>mvhd</c>, <c>tkhd</c> and <c>mdhd</c> become 0.
/// </summary>
public static class IsoMediaStripper
{
    private static readonly HashSet<string> Structural = new(StringComparer.Ordinal)
    {
        "ftyp", "styp", "moov", "mdat", "free", "skip", "wide", "moof", "mfra", "sidx", "ssix", "prft", "pdin",
    };

    private static readonly HashSet<string> KeptHandlers = new(StringComparer.Ordinal) { "vide", "soun", "sbtl", "subt", "text", "clcp", "tmcd" };

    private static readonly HashSet<string> MetadataBoxes = new(StringComparer.Ordinal) { "udta", "meta", "uuid" };

    /// <summary>Strips <paramref name="data"/> in place; false when its structure cannot be read (nothing may then be published).</summary>
    public static bool Strip(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var top = IsoBox.Children(data, 0, data.Length);
        if (top is null)
        {
            return false;
        }

        foreach (var box in top)
        {
            if (box.Type == "moov")
            {
                if (!StripMovie(data, box))
                {
                    return false;
                }
            }
            else if (!Structural.Contains(box.Type))
            {
                Free(data, box);
            }
        }

        return true;
    }

    private static bool StripMovie(byte[] data, IsoBox moov)
    {
        var children = IsoBox.Children(data, moov.PayloadStart, moov.End);
        if (children is null)
        {
            return false;
        }

        Tidy(data, children, "mvhd");
        return children.Where(b => b.Type == "trak").All(trak => StripTrack(data, trak));
    }

    private static bool StripTrack(byte[] data, IsoBox trak)
    {
        var children = IsoBox.Children(data, trak.PayloadStart, trak.End);
        var mdia = children?.FirstOrDefault(b => b.Type == "mdia");
        var mdiaChildren = mdia is { Type: not null } m ? IsoBox.Children(data, m.PayloadStart, m.End) : null;
        if (children is null || mdiaChildren is null)
        {
            return false;
        }

        var hdlr = mdiaChildren.FirstOrDefault(b => b.Type == "hdlr");
        var handler = hdlr.Type is not null && hdlr.PayloadLength >= 12 ? System.Text.Encoding.Latin1.GetString(data, hdlr.PayloadStart + 8, 4) : "";
        if (!KeptHandlers.Contains(handler))
        {
            var stbl = mdiaChildren.FirstOrDefault(b => b.Type == "minf") is { Type: not null } minf ? minf.Child(data, "stbl") : null;
            if (stbl is { } table && !ZeroSamples(data, table))
            {
                return false;
            }

            Free(data, trak);
            return true;
        }

        Tidy(data, children, "tkhd");
        Tidy(data, mdiaChildren, "mdhd");
        return true;
    }

    /// <summary>Frees the metadata boxes among <paramref name="children"/> and clears the times of its <paramref name="header"/> box.</summary>
    private static void Tidy(byte[] data, List<IsoBox> children, string header)
    {
        foreach (var box in children)
        {
            if (MetadataBoxes.Contains(box.Type))
            {
                Free(data, box);
            }
            else if (box.Type == header)
            {
                ClearTimes(data, box);
            }
        }
    }

    /// <summary>
    /// Zeroes a track's samples where its sample table places them: chunk offsets (<c>stco</c>/<c>co64</c>), samples per
    /// chunk (<c>stsc</c>) and sample sizes (<c>stsz</c>). Only bytes inside the file are touched.
    /// </summary>
    private static bool ZeroSamples(byte[] data, IsoBox stbl)
    {
        var tables = IsoBox.Children(data, stbl.PayloadStart, stbl.End);
        if (tables is null)
        {
            return false;
        }

        var stsc = tables.FirstOrDefault(b => b.Type == "stsc");
        var stsz = tables.FirstOrDefault(b => b.Type == "stsz");
        var offsets = tables.FirstOrDefault(b => b.Type is "stco" or "co64");
        if (stsc.Type is null || stsz.Type is null || offsets.Type is null)
        {
            return true; // no samples in this file's sample table (fragmented, or empty)
        }

        if (stsc.PayloadLength < 8 || stsz.PayloadLength < 12 || offsets.PayloadLength < 8)
        {
            return false;
        }

        var wide = offsets.Type == "co64";
        var chunkCount = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offsets.PayloadStart + 4));
        var stscCount = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(stsc.PayloadStart + 4));
        var constantSize = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(stsz.PayloadStart + 4));
        var sampleCount = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(stsz.PayloadStart + 8));
        if ((long)chunkCount * (wide ? 8 : 4) > offsets.PayloadLength - 8 || (long)stscCount * 12 > stsc.PayloadLength - 8
            || (constantSize == 0 && (long)sampleCount * 4 > stsz.PayloadLength - 12))
        {
            return false;
        }

        long sample = 0, previousFirst = 0;
        for (var entry = 0; entry < stscCount; entry++)
        {
            var e = stsc.PayloadStart + 8 + (entry * 12);
            long firstChunk = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(e));
            if (firstChunk <= previousFirst)
            {
                return false; // first_chunk increases (ISO 8.7.4); anything else could make this loop run for ever
            }

            previousFirst = firstChunk;
            long perChunk = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(e + 4));
            long nextFirst = entry + 1 < stscCount ? BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(e + 12)) : chunkCount + 1L;
            for (var chunk = firstChunk; chunk < nextFirst && chunk <= chunkCount && chunk >= 1; chunk++)
            {
                var c = offsets.PayloadStart + 8 + (int)((chunk - 1) * (wide ? 8 : 4));
                var position = wide ? (long)BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(c)) : BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(c));
                for (var i = 0; i < perChunk && sample < sampleCount; i++, sample++)
                {
                    long size = constantSize != 0 ? constantSize : BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(stsz.PayloadStart + 12 + (int)(sample * 4)));
                    if (position >= 0 && position < data.Length)
                    {
                        data.AsSpan((int)position, (int)Math.Min(size, data.Length - position)).Clear();
                    }

                    position += size;
                }
            }
        }

        return true;
    }

    /// <summary>Creation and modification times (the first two fields of <c>mvhd</c>, <c>tkhd</c>, <c>mdhd</c>; 32 or 64 bits).</summary>
    private static void ClearTimes(byte[] data, IsoBox box)
    {
        var length = box.Version(data) == 1 ? 16 : 8;
        if (box.PayloadLength >= 4 + length)
        {
            data.AsSpan(box.PayloadStart + 4, length).Clear();
        }
    }

    /// <summary>Turns the box into a <c>free</c> box of the same size (a largesize header stays one) and zeroes what it held.</summary>
    private static void Free(byte[] data, IsoBox box)
    {
        "free"u8.CopyTo(data.AsSpan(box.Start + 4));
        var contentStart = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(box.Start)) == 1 ? box.Start + 16 : box.Start + 8;
        data.AsSpan(contentStart, box.End - contentStart).Clear();
    }
}
