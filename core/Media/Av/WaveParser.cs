using System.Buffers.Binary;
using System.Text;

namespace ServerlessFedi.Media.Av;

/// <summary>
/// Reads a RIFF WAVE file: the <c>fmt </c> chunk (PCM, IEEE float, or WAVE_FORMAT_EXTENSIBLE with either subformat) and
/// the <c>data</c> chunk, whose length over the byte rate is the duration. A <c>data</c> size that runs past the end of
/// the file (recorders that never finished the header) is taken as "to the end".
/// </summary>
public static class WaveParser
{
    public static AvProbe Parse(ReadOnlySpan<byte> data)
    {
        if (Read(data) is not { } wave)
        {
            return AvProbe.Invalid("the WAV file is malformed or not PCM (a 'fmt ' and a 'data' chunk are needed)");
        }

        return AvProbe.Ok(new AvInfo
        {
            Container = AvContainer.Wave,
            Type = "audio",
            ContentType = "audio/wav",
            Extension = "wav",
            Duration = (wave.Data.End - wave.Data.Start) / (double)wave.ByteRate,
            AudioCodec = wave.Codec,
            SampleRate = wave.SampleRate,
            Channels = wave.Channels,
        });
    }

    /// <summary>The chunks that make the sound (<c>fmt </c>, optional <c>fact</c>, <c>data</c>) as byte ranges, and the format.</summary>
    internal static Wave? Read(ReadOnlySpan<byte> data)
    {
        if (data.Length < 12 || !data[..4].SequenceEqual("RIFF"u8) || !data.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            return null;
        }

        (int Start, int End)? fmt = null, fact = null, sound = null;
        for (var p = 12; data.Length - p >= 8 && sound is null;)
        {
            var id = Encoding.Latin1.GetString(data.Slice(p, 4));
            long size = BinaryPrimitives.ReadUInt32LittleEndian(data[(p + 4)..]);
            var end = (int)Math.Min(p + 8 + size, data.Length);
            switch (id)
            {
                case "fmt ":
                    fmt = (p + 8, end);
                    break;
                case "fact":
                    fact = (p + 8, end);
                    break;
                case "data":
                    sound = (p + 8, end);
                    break;
                default:
                    break;
            }

            if (p + 8 + size > data.Length && id != "data")
            {
                return null;
            }

            p = end + (int)(size & 1);
        }

        if (fmt is not { } f || sound is not { } d || f.End - f.Start < 16)
        {
            return null;
        }

        var header = data[f.Start..f.End];
        var tag = BinaryPrimitives.ReadUInt16LittleEndian(header);
        var channels = BinaryPrimitives.ReadUInt16LittleEndian(header[2..]);
        var rate = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        var byteRate = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(header[14..]);
        if (tag == 0xFFFE && header.Length >= 40)
        {
            tag = BinaryPrimitives.ReadUInt16LittleEndian(header[24..]); // the subformat GUID starts with the format tag
        }

        var codec = tag switch
        {
            1 when bits is 8 => "pcm_u8",
            1 when bits is 16 or 24 or 32 => $"pcm_s{bits}le",
            3 when bits is 32 or 64 => $"pcm_f{bits}le",
            _ => null,
        };
        if (codec is null || channels == 0 || rate <= 0 || byteRate <= 0)
        {
            return null;
        }

        return new Wave(f, fact, d, codec, channels, rate, byteRate);
    }

    /// <summary>A WAVE file's sound: byte ranges of the chunks' contents and the format they hold.</summary>
    internal sealed record Wave((int Start, int End) Format, (int Start, int End)? Fact, (int Start, int End) Data, string Codec, int Channels, int SampleRate, int ByteRate);
}
