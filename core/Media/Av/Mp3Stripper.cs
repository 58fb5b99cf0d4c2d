namespace ServerlessFedi.Media.Av;

/// <summary>
/// Keeps only the MPEG audio frames of an MP3 file: ID3v2 tags (title, artist, comments, pictures, GPS in TXXX, ...),
/// ID3v1, APE and Lyrics3 tags and anything else between frames are dropped. The Xing/Info (or VBRI) frame stays: it is
/// an audio frame whose counts and seek table describe the frames, which do not move relative to each other.
/// </summary>
public static class Mp3Stripper
{
    /// <summary>The frames alone; null when there are none.</summary>
    public static byte[]? Strip(ReadOnlySpan<byte> data)
    {
        if (Mp3Parser.Read(data) is not { } stream)
        {
            return null;
        }

        var output = new byte[stream.Runs.Sum(r => r.End - r.Start)];
        var position = 0;
        foreach (var (start, end) in stream.Runs)
        {
            data[start..end].CopyTo(output.AsSpan(position));
            position += end - start;
        }

        return output;
    }
}
