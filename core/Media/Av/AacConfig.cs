namespace ServerlessFedi.Media.Av;

/// <summary>
/// The sample rate and channel count an AAC track really has, from the AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1)
/// inside its <c>esds</c> box (ES_Descriptor, DecoderConfigDescriptor, DecoderSpecificInfo; ISO/IEC 14496-1 7.2.6).
/// The sample entry's own fields are unreliable: MP4 muxers write 2 channels whatever the stream holds.
/// </summary>
public static class AacConfig
{
    private static readonly int[] Rates = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

    /// <summary>Reads an <c>esds</c> payload (after its version and flags); false when the descriptors or the config are not there.</summary>
    public static bool TryRead(ReadOnlySpan<byte> descriptors, out int sampleRate, out int channels)
    {
        (sampleRate, channels) = (0, 0);
        if (!TryDescriptor(descriptors, 0x03, out var es) || es.Length < 3)
        {
            return false;
        }

        var flags = es[2];
        var skip = 3 + ((flags & 0x80) != 0 ? 2 : 0) + ((flags & 0x20) != 0 ? 2 : 0);
        if ((flags & 0x40) != 0)
        {
            skip += skip < es.Length ? 1 + es[skip] : es.Length;
        }

        if (skip > es.Length || !TryDescriptor(es[skip..], 0x04, out var decoder) || decoder.Length < 13
            || !TryDescriptor(decoder[13..], 0x05, out var config) || config.Length < 2)
        {
            return false;
        }

        var bits = new BitReader(config);
        var objectType = bits.Read(5);
        if (objectType == 31)
        {
            bits.Read(6);
        }

        var rateIndex = bits.Read(4);
        sampleRate = rateIndex == 15 ? bits.Read(24) : rateIndex < Rates.Length ? Rates[rateIndex] : 0;
        channels = bits.Read(4);
        return !bits.Overrun && sampleRate > 0 && channels is > 0 and < 8;
    }

    /// <summary>The first descriptor's body when its tag is <paramref name="tag"/> (size: 1-4 bytes of 7 bits, high bit = more).</summary>
    private static bool TryDescriptor(ReadOnlySpan<byte> data, byte tag, out ReadOnlySpan<byte> body)
    {
        body = default;
        if (data.Length < 2 || data[0] != tag)
        {
            return false;
        }

        var size = 0;
        var p = 1;
        for (var i = 0; i < 4 && p < data.Length; i++)
        {
            var b = data[p++];
            size = (size << 7) | (b & 0x7F);
            if ((b & 0x80) == 0)
            {
                break;
            }
        }

        if (size > data.Length - p)
        {
            return false;
        }

        body = data.Slice(p, size);
        return true;
    }

    private ref struct BitReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _bit;

        public bool Overrun { get; private set; }

        public int Read(int count)
        {
            var value = 0;
            for (var i = 0; i < count; i++, _bit++)
            {
                if (_bit / 8 >= _data.Length)
                {
                    Overrun = true;
                    return 0;
                }

                value = (value << 1) | ((_data[_bit / 8] >> (7 - (_bit % 8))) & 1);
            }

            return value;
        }
    }
}
