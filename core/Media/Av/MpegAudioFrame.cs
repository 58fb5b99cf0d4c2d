namespace ServerlessFedi.Media.Av;

/// <summary>
/// The header of one MPEG audio layer III frame (ISO/IEC 11172-3, 13818-3 and the unofficial MPEG 2.5): version,
/// sample rate, channels and the frame's length in bytes. Free-format and reserved values are not accepted.
/// <see cref="Version"/> is 1 for MPEG-1, 2 for MPEG-2 and 25 for MPEG-2.5.
/// </summary>
public readonly record struct MpegAudioFrame(int Version, int SampleRate, int Channels, int Length, int SamplesPerFrame)
{
    private static readonly int[] Mpeg1Layer3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
    private static readonly int[] Mpeg2Layer3 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

    /// <summary>Bytes of side information after the 4-byte header; the Xing/Info tag follows it in the first frame.</summary>
    public int SideInfoLength => Version == 1 ? (Channels == 1 ? 17 : 32) : (Channels == 1 ? 9 : 17);

    public bool SameStreamAs(MpegAudioFrame other) => Version == other.Version && SampleRate == other.SampleRate;

    public static bool TryRead(ReadOnlySpan<byte> data, out MpegAudioFrame frame)
    {
        frame = default;
        if (data.Length < 4 || data[0] != 0xFF || (data[1] & 0xE0) != 0xE0)
        {
            return false;
        }

        var versionBits = (data[1] >> 3) & 0x3;
        var layerBits = (data[1] >> 1) & 0x3;
        var bitrateIndex = data[2] >> 4;
        var rateIndex = (data[2] >> 2) & 0x3;
        if (versionBits == 1 || layerBits != 1 || bitrateIndex is 0 or 15 || rateIndex == 3)
        {
            return false; // reserved version, not layer III, free format or bad bitrate, reserved rate
        }

        var version = versionBits switch { 3 => 1, 2 => 2, _ => 25 };
        var sampleRate = version switch
        {
            1 => new[] { 44100, 48000, 32000 }[rateIndex],
            2 => new[] { 22050, 24000, 16000 }[rateIndex],
            _ => new[] { 11025, 12000, 8000 }[rateIndex],
        };
        var bitrate = (version == 1 ? Mpeg1Layer3 : Mpeg2Layer3)[bitrateIndex] * 1000;
        var padding = (data[2] >> 1) & 0x1;
        var samples = version == 1 ? 1152 : 576;
        var length = (samples / 8 * bitrate / sampleRate) + padding;
        var channels = (data[3] >> 6) == 3 ? 1 : 2;
        frame = new MpegAudioFrame(version, sampleRate, channels, length, samples);
        return true;
    }
}
