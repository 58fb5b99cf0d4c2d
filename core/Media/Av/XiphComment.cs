namespace ServerlessFedi.Media.Av;

/// <summary>
/// Empty comment headers for the Xiph codecs: no vendor string, no user comments. Opus: <c>OpusTags</c> (RFC 7845 5.2);
/// Vorbis: packet type 3, <c>vorbis</c>, then the framing bit (Vorbis I 5.2.1).
/// </summary>
public static class XiphComment
{
    public static byte[] Empty(string codec) => codec == "opus"
        ? [.. "OpusTags"u8, 0, 0, 0, 0, 0, 0, 0, 0]
        : [.. "\u0003vorbis"u8, 0, 0, 0, 0, 0, 0, 0, 0, 1];

    /// <summary>
    /// Overwrites a comment packet in place with the empty one followed by zeros, keeping its length (decoders stop
    /// reading at the framing bit): for packets whose length other structures record, such as a WebM track's CodecPrivate.
    /// </summary>
    public static void Blank(Span<byte> packet, string codec)
    {
        var empty = Empty(codec);
        packet.Clear();
        empty.AsSpan(0, Math.Min(empty.Length, packet.Length)).CopyTo(packet);
    }
}
