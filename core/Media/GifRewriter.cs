namespace ServerlessFedi.Media;

/// <summary>
/// Rewrites a GIF block by block without decoding its frames (GIF89a spec, sections 17-27), keeping only what renders:
/// the logical screen, colour tables, graphic control extensions, image data and the NETSCAPE2.0/ANIMEXTS1.0 loop
/// extension. Comment, plain-text and every other application extension (XMP, ICC, vendor data) are dropped, and so is
/// anything after the trailer. Used for animated GIFs, whose frames re-encoding would lose.
/// </summary>
public static class GifRewriter
{
    /// <summary>The stripped GIF and its frame count; null when the structure is malformed or truncated inside a block.</summary>
    public static (byte[] Gif, int Frames)? Strip(ReadOnlySpan<byte> gif)
    {
        if (gif.Length < 13 || ImageSniffer.Detect(gif) != ImageFormat.Gif)
        {
            return null;
        }

        using var output = new MemoryStream(gif.Length);
        var flags = gif[10];
        var position = 13 + (((flags & 0x80) != 0) ? 3 * (1 << ((flags & 0x07) + 1)) : 0);
        if (position > gif.Length)
        {
            return null;
        }

        // Always written as GIF89a: the graphic control extensions we keep need it.
        output.Write("GIF89a"u8);
        output.Write(gif[6..position]);
        var frames = 0;
        while (position < gif.Length)
        {
            var block = gif[position];
            if (block == 0x3B)
            {
                output.WriteByte(0x3B);
                return frames == 0 ? null : (output.ToArray(), frames);
            }

            if (block == 0x21)
            {
                if (position + 2 > gif.Length)
                {
                    return null;
                }

                var label = gif[position + 1];
                var end = SkipSubBlocks(gif, position + 2);
                if (end < 0)
                {
                    return null;
                }

                if (label == 0xF9 || (label == 0xFF && IsLoopExtension(gif[(position + 2)..end])))
                {
                    output.Write(gif[position..end]);
                }

                position = end;
                continue;
            }

            if (block == 0x2C)
            {
                if (position + 10 > gif.Length)
                {
                    return null;
                }

                var localFlags = gif[position + 9];
                var dataStart = position + 10 + (((localFlags & 0x80) != 0) ? 3 * (1 << ((localFlags & 0x07) + 1)) : 0);
                if (dataStart + 1 > gif.Length)
                {
                    return null;
                }

                var end = SkipSubBlocks(gif, dataStart + 1);
                if (end < 0)
                {
                    return null;
                }

                output.Write(gif[position..end]);
                frames++;
                position = end;
                continue;
            }

            return null;
        }

        // The data ended after a complete block without a trailer, which many encoders get wrong and decoders accept.
        if (frames == 0)
        {
            return null;
        }

        output.WriteByte(0x3B);
        return (output.ToArray(), frames);
    }

    /// <summary>Index just past the block terminator of the sub-blocks starting at <paramref name="start"/>, or -1.</summary>
    private static int SkipSubBlocks(ReadOnlySpan<byte> gif, int start)
    {
        var position = start;
        while (position < gif.Length)
        {
            var size = gif[position];
            position += 1 + size;
            if (size == 0)
            {
                return position <= gif.Length ? position : -1;
            }
        }

        return -1;
    }

    private static bool IsLoopExtension(ReadOnlySpan<byte> subBlocks) =>
        subBlocks.Length >= 12 && subBlocks[0] == 11
        && (subBlocks[1..12].SequenceEqual("NETSCAPE2.0"u8) || subBlocks[1..12].SequenceEqual("ANIMEXTS1.0"u8));
}
