using System.Buffers.Binary;

namespace ServerlessFedi.Media.Av;

/// <summary>
/// One EBML element (RFC 8794): its ID (with the length marker kept, as Matroska writes IDs: <c>0x1A45DFA3</c>), where
/// it starts, where its data starts and ends. An element of unknown size (all size bits set, RFC 8794 6.2) ends where the
/// parent ends or an element that cannot be its child begins; <see cref="UnknownSize"/> tells the reader to find out.
/// </summary>
public readonly record struct EbmlElement(uint Id, int Start, int DataStart, int End, bool UnknownSize)
{
    /// <summary>The element at <paramref name="position"/> within a parent ending at <paramref name="limit"/>; null when malformed or truncated.</summary>
    public static EbmlElement? Read(ReadOnlySpan<byte> data, int position, int limit)
    {
        if (!TryVint(data, position, limit, keepMarker: true, out var id, out var idLength) || idLength > 4
            || !TryVint(data, position + idLength, limit, keepMarker: false, out var size, out var sizeLength))
        {
            return null;
        }

        var dataStart = position + idLength + sizeLength;
        var unknown = size == (1UL << (7 * sizeLength)) - 1;
        if (unknown)
        {
            return new EbmlElement((uint)id, position, dataStart, limit, true);
        }

        return size > (ulong)(limit - dataStart) ? null : new EbmlElement((uint)id, position, dataStart, dataStart + (int)size, false);
    }

    /// <summary>An unsigned integer element's value (big-endian, 0-8 bytes).</summary>
    public ulong ReadUnsigned(ReadOnlySpan<byte> data)
    {
        ulong value = 0;
        foreach (var b in data[DataStart..Math.Min(End, DataStart + 8)])
        {
            value = (value << 8) | b;
        }

        return value;
    }

    /// <summary>A float element's value (4 or 8 bytes, big-endian IEEE 754; 0 when empty).</summary>
    public double ReadFloat(ReadOnlySpan<byte> data) => (End - DataStart) switch
    {
        4 => BinaryPrimitives.ReadSingleBigEndian(data[DataStart..]),
        8 => BinaryPrimitives.ReadDoubleBigEndian(data[DataStart..]),
        _ => 0,
    };

    /// <summary>An ASCII or UTF-8 string element's value, up to its first zero byte (RFC 8794 7.4: strings may be zero-padded).</summary>
    public string ReadText(ReadOnlySpan<byte> data)
    {
        var value = data[DataStart..End];
        var zero = value.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(zero >= 0 ? value[..zero] : value);
    }

    /// <summary>A number written as a variable-length integer without its length marker (a block's track number, RFC 9559 10.1).</summary>
    public static bool TryReadNumber(ReadOnlySpan<byte> data, int position, int limit, out ulong value, out int length) =>
        TryVint(data, position, limit, keepMarker: false, out value, out length);

    /// <summary>A variable-length integer (RFC 8794 4): the number of leading zero bits of the first byte plus one is its length.</summary>
    private static bool TryVint(ReadOnlySpan<byte> data, int position, int limit, bool keepMarker, out ulong value, out int length)
    {
        value = 0;
        length = 0;
        if (position >= limit)
        {
            return false;
        }

        var first = data[position];
        if (first == 0)
        {
            return false;
        }

        length = System.Numerics.BitOperations.LeadingZeroCount((uint)first) - 24 + 1;
        if (position + length > limit)
        {
            return false;
        }

        value = keepMarker ? first : (ulong)(first & (0xFF >> length));
        for (var i = 1; i < length; i++)
        {
            value = (value << 8) | data[position + i];
        }

        return true;
    }
}
