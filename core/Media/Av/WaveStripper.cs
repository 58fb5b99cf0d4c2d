using System.Buffers.Binary;

namespace ServerlessFedi.Media.Av;

/// <summary>
/// Rewrites a WAVE file with only the chunks that make its sound: <c>fmt </c>, <c>fact</c> (when present) and
/// <c>data</c>, byte for byte, under a new RIFF header. Everything else goes: <c>LIST</c>/<c>INFO</c> (title, artist,
/// software, dates), <c>bext</c> (originator, description, time reference), <c>iXML</c>, <c>id3 </c>, <c>_PMX</c> (XMP),
/// cue points and anything after the sound.
/// </summary>
public static class WaveStripper
{
    /// <summary>The stripped file; null when <see cref="WaveParser"/> does not accept it.</summary>
    public static byte[]? Strip(ReadOnlySpan<byte> data)
    {
        if (WaveParser.Read(data) is not { } wave)
        {
            return null;
        }

        var chunks = new List<(string Id, (int Start, int End) Range)> { ("fmt ", wave.Format) };
        if (wave.Fact is { } fact)
        {
            chunks.Add(("fact", fact));
        }

        chunks.Add(("data", wave.Data));
        var length = 12 + chunks.Sum(c => 8 + Padded(c.Range.End - c.Range.Start));
        var output = new byte[length];
        "RIFF"u8.CopyTo(output);
        BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(4), (uint)(length - 8));
        "WAVE"u8.CopyTo(output.AsSpan(8));
        var p = 12;
        foreach (var (id, (start, end)) in chunks)
        {
            System.Text.Encoding.ASCII.GetBytes(id).CopyTo(output, p);
            BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(p + 4), (uint)(end - start));
            data[start..end].CopyTo(output.AsSpan(p + 8));
            p += 8 + Padded(end - start);
        }

        return output;
    }

    /// <summary>RIFF chunks are padded to an even length.</summary>
    private static int Padded(int length) => length + (length & 1);
}
