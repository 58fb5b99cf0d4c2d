using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace ServerlessFedi.Web;

/// <summary>
/// Plain grey PNGs for accounts without avatar or header (Mastodon's API never returns null for them), generated once
/// so no binary asset and no third-party image is involved.
/// </summary>
public static class DefaultImages
{
    public static byte[] Avatar { get; } = SolidPng(400, 400, 0xB0, 0xB7, 0xC0);

    public static byte[] Header { get; } = SolidPng(1500, 500, 0xE3, 0xE7, 0xEC);

    private static byte[] SolidPng(int width, int height, byte r, byte g, byte b)
    {
        using var raw = new MemoryStream();
        var row = new byte[1 + (width * 3)];
        for (var x = 0; x < width; x++)
        {
            row[1 + (x * 3)] = r;
            row[2 + (x * 3)] = g;
            row[3 + (x * 3)] = b;
        }

        using (var z = new ZLibStream(raw, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            for (var y = 0; y < height; y++)
            {
                z.Write(row);
            }
        }

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", raw.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        s.Write(typeBytes);
        s.Write(data);
        var crc = new Crc32();
        crc.Append(typeBytes);
        crc.Append(data);
        Span<byte> c = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(c, crc.GetCurrentHashAsUInt32());
        s.Write(c);
    }
}
