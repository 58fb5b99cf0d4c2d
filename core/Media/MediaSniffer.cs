using ServerlessFedi.Media.Av;

namespace ServerlessFedi.Media;

/// <summary>
/// Recognises an upload from its first bytes, never from its name or the client's Content-Type: an image format
/// (<see cref="ImageSniffer"/>), or an audio/video container: <c>ftyp</c> at offset 4 (ISO base media), the EBML magic
/// (Matroska/WebM), <c>OggS</c>, <c>RIFF....WAVE</c>, or an ID3v2 tag or two consecutive MPEG audio layer III frame
/// headers (MP3, which has no magic number of its own).
/// </summary>
public static class MediaSniffer
{
    public static AvContainer DetectContainer(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 12 && data.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            return AvContainer.IsoMedia;
        }

        if (data.Length >= 4 && data[..4].SequenceEqual(new byte[] { 0x1A, 0x45, 0xDF, 0xA3 }))
        {
            return AvContainer.Matroska;
        }

        if (data.Length >= 27 && data[..4].SequenceEqual("OggS"u8))
        {
            return AvContainer.Ogg;
        }

        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            return AvContainer.Wave;
        }

        if (data.Length >= 10 && data[..3].SequenceEqual("ID3"u8))
        {
            return AvContainer.Mp3;
        }

        return MpegAudioFrame.TryRead(data, out var first) && MpegAudioFrame.TryRead(data[Math.Min(first.Length, data.Length)..], out var second)
            && second.SameStreamAs(first)
            ? AvContainer.Mp3
            : AvContainer.Unknown;
    }
}
