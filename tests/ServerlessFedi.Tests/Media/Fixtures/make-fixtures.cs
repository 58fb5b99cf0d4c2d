// Writes the media test images. Run once from this folder: `dotnet run make-fixtures.cs`; the outputs are committed.
// Not part of the test project (excluded in ServerlessFedi.Tests.csproj). Every metadata block is written by hand here,
// with made-up values, so the tests can prove the pipeline removes it.
#:package SkiaSharp@4.155.0
#:package SkiaSharp.NativeAssets.Linux.NoDependencies@4.155.0
#:property ManagePackageVersionsCentrally=false
#:property TreatWarningsAsErrors=false
#:property AnalysisLevel=none
#:property EnforceCodeStyleInBuild=false

using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SkiaSharp;

// 1. JPEG, 64x48 as stored, EXIF orientation 6 (display rotated 90 degrees clockwise), camera, artist, GPS and XMP.
//    The stored top-left quarter is red, so after orientation the red corner is top-right.
var photo = Render(64, 48, opaque: true, (canvas, w, h) =>
{
    canvas.Clear(new SKColor(40, 90, 200));
    using var red = new SKPaint { Color = new SKColor(230, 20, 20) };
    canvas.DrawRect(0, 0, w / 2, h / 2, red);
    using var green = new SKPaint { Color = new SKColor(20, 200, 60) };
    canvas.DrawRect(w / 2, h / 2, w / 2, h / 2, green);
});
var jpeg = Encode(photo, p => p.Encode(new SKJpegEncoderOptions(92)));
var exif = Exif();
var xmp = Concat("http://ns.adobe.com/xap/1.0/\0"u8.ToArray(), Encoding.ASCII.GetBytes(
    "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
    + "<rdf:Description xmlns:exif='http://ns.adobe.com/exif/1.0/' exif:GPSLatitude='52,31.2N' exif:GPSLongitude='13,24.6E'"
    + " xmlns:dc='http://purl.org/dc/elements/1.1/' dc:creator='Jane Doe'/></rdf:RDF></x:xmpmeta>"));
// SOI, then APP1 Exif, APP1 XMP, a COM segment, then the encoder's segments (which start after its own SOI).
var withExif = Concat(jpeg[..2], Segment(0xE1, exif), Segment(0xE1, xmp), Segment(0xFE, "Shot by Jane Doe"u8.ToArray()), jpeg[2..]);
File.WriteAllBytes("exif-orientation6-gps.jpg", withExif);

// 2. PNG, 40x30 with transparency, text chunks (tEXt, zTXt, iTXt with XMP) and an eXIf chunk before IDAT.
var drawing = Render(40, 30, opaque: false, (canvas, w, h) =>
{
    canvas.Clear(SKColors.Transparent);
    using var paint = new SKPaint { Color = new SKColor(250, 180, 0, 200) };
    canvas.DrawCircle(w / 2, h / 2, 12, paint);
});
var png = Encode(drawing, p => p.Encode(SKPngEncoderOptions.Default));
var ihdrEnd = 8 + 8 + 13 + 4;
var chunks = Concat(
    Chunk("tEXt", Concat("Author\0"u8.ToArray(), "Jane Doe"u8.ToArray())),
    Chunk("tEXt", Concat("Comment\0"u8.ToArray(), "GPS 52.5200 13.4050"u8.ToArray())),
    Chunk("zTXt", Concat("Software\0\0"u8.ToArray(), Deflate("CameraCo Editor 1.0"u8.ToArray()))),
    Chunk("iTXt", Concat("XML:com.adobe.xmp\0\0\0\0\0"u8.ToArray(), Encoding.ASCII.GetBytes("<x:xmpmeta><dc:creator>Jane Doe</dc:creator></x:xmpmeta>"))),
    Chunk("eXIf", exif[6..]));
File.WriteAllBytes("text-chunks.png", Concat(png[..ihdrEnd], chunks, png[ihdrEnd..]));

// 3. Still GIF, 16x16, palette of 4 with index 0 transparent (left half), a comment and an XMP application extension.
var still = new byte[16 * 16];
for (var i = 0; i < still.Length; i++)
{
    still[i] = (byte)(i % 16 < 8 ? 0 : 1);
}

File.WriteAllBytes("transparent.gif", Gif(16, 16, [still], transparentIndex: 0, loop: false));

// 4. Animated GIF, two frames, NETSCAPE2.0 loop, comment, XMP, and bytes after the trailer.
var second = new byte[16 * 16];
for (var i = 0; i < second.Length; i++)
{
    second[i] = (byte)(i / 16 < 8 ? 2 : 3);
}

File.WriteAllBytes("animated.gif", Concat(Gif(16, 16, [still, second], transparentIndex: 0, loop: true), "hidden after the trailer: Jane Doe"u8.ToArray()));

// 5. WebP, 50x40, lossy.
var web = Render(50, 40, opaque: true, (canvas, w, h) =>
{
    canvas.Clear(new SKColor(10, 120, 90));
    using var paint = new SKPaint { Color = SKColors.White };
    canvas.DrawRect(5, 5, 20, 10, paint);
});
File.WriteAllBytes("photo.webp", Encode(web, p => p.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, 90))));

// 6. A text file named like a PNG.
File.WriteAllBytes("lies.png", "This is not an image, whatever its name says.\n"u8.ToArray());

// 7. A decompression bomb: a valid PNG header declaring 100000x100000 pixels, with a tiny IDAT.
var ihdr = new byte[13];
BinaryPrimitives.WriteUInt32BigEndian(ihdr, 100_000);
BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), 100_000);
ihdr[8] = 8;
ihdr[9] = 2;
File.WriteAllBytes("bomb.png", Concat(
    [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
    Chunk("IHDR", ihdr),
    Chunk("IDAT", ZlibOf(new byte[1024])),
    Chunk("IEND", [])));

// 8. BlurHash reference image: 32x24, smooth colours, opaque. The expected hashes in BlurHashTests come from woltapp's
//    C encoder (C/encode.c) run on the same pixels, written to /tmp/blurhash-reference.rgba for that purpose.
var reference = Render(32, 24, opaque: true, (canvas, w, h) => { });
for (var y = 0; y < 24; y++)
{
    for (var x = 0; x < 32; x++)
    {
        reference.SetPixel(x, y, new SKColor((byte)(x * 8), (byte)(y * 10), (byte)(255 - (x * 4) - (y * 3))));
    }
}

reference.SetPixel(5, 5, SKColors.White);
File.WriteAllBytes("blurhash-reference.png", Encode(reference, p => p.Encode(SKPngEncoderOptions.Default)));
var raw = new byte[32 * 24 * 4];
for (var y = 0; y < 24; y++)
{
    for (var x = 0; x < 32; x++)
    {
        var c = reference.GetPixel(x, y);
        raw[((y * 32) + x) * 4] = c.Red;
        raw[(((y * 32) + x) * 4) + 1] = c.Green;
        raw[(((y * 32) + x) * 4) + 2] = c.Blue;
        raw[(((y * 32) + x) * 4) + 3] = 255;
    }
}

File.WriteAllBytes("/tmp/blurhash-reference.rgba", raw);
Console.WriteLine("fixtures written");

static SKBitmap Render(int w, int h, bool opaque, Action<SKCanvas, float, float> draw)
{
    var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, opaque ? SKAlphaType.Opaque : SKAlphaType.Premul));
    using var canvas = new SKCanvas(bitmap);
    draw(canvas, w, h);
    return bitmap;
}

static byte[] Encode(SKBitmap bitmap, Func<SKPixmap, SKData> encode)
{
    using var pixmap = bitmap.PeekPixels();
    using var data = encode(pixmap);
    return data.ToArray();
}

static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

static byte[] Segment(byte marker, byte[] payload)
{
    var length = new byte[2];
    BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)(payload.Length + 2));
    return Concat([0xFF, marker], length, payload);
}

static byte[] Chunk(string type, byte[] data)
{
    var length = new byte[4];
    BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
    var typed = Concat(Encoding.ASCII.GetBytes(type), data);
    var crc = new byte[4];
    BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
    return Concat(length, typed, crc);
}

static uint Crc32(byte[] data)
{
    var crc = 0xFFFFFFFFu;
    foreach (var b in data)
    {
        crc ^= b;
        for (var k = 0; k < 8; k++)
        {
            crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
    }

    return ~crc;
}

static byte[] Deflate(byte[] data) => ZlibOf(data);

static byte[] ZlibOf(byte[] data)
{
    using var output = new MemoryStream();
    using (var z = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
    {
        z.Write(data);
    }

    return output.ToArray();
}

// EXIF APP1 payload: "Exif\0\0" + big-endian TIFF with IFD0 (Make, Model, Orientation=6, Artist, GPS pointer) and a GPS IFD.
static byte[] Exif()
{
    var tiff = new List<byte>();
    void U16(int v) { tiff.Add((byte)(v >> 8)); tiff.Add((byte)v); }
    void U32(long v) { tiff.Add((byte)(v >> 24)); tiff.Add((byte)(v >> 16)); tiff.Add((byte)(v >> 8)); tiff.Add((byte)v); }
    var make = "CameraCo\0"u8.ToArray();
    var model = "Snapper 3000\0"u8.ToArray();
    var artist = "Jane Doe\0"u8.ToArray();
    const int ifd0 = 8;
    const int ifd0Entries = 5;
    var ifd0Size = 2 + (ifd0Entries * 12) + 4;
    var dataStart = ifd0 + ifd0Size;
    var makeAt = dataStart;
    var modelAt = makeAt + make.Length;
    var artistAt = modelAt + model.Length;
    var gpsAt = artistAt + artist.Length + ((artistAt + artist.Length) % 2);
    const int gpsEntries = 4;
    var gpsDataAt = gpsAt + 2 + (gpsEntries * 12) + 4;

    tiff.AddRange("MM"u8.ToArray());
    U16(42);
    U32(ifd0);
    U16(ifd0Entries);
    U16(0x010F); U16(2); U32(make.Length); U32(makeAt);
    U16(0x0110); U16(2); U32(model.Length); U32(modelAt);
    U16(0x0112); U16(3); U32(1); U16(6); U16(0);
    U16(0x013B); U16(2); U32(artist.Length); U32(artistAt);
    U16(0x8825); U16(4); U32(1); U32(gpsAt);
    U32(0);
    tiff.AddRange(make);
    tiff.AddRange(model);
    tiff.AddRange(artist);
    while (tiff.Count < gpsAt)
    {
        tiff.Add(0);
    }

    U16(gpsEntries);
    U16(0x0001); U16(2); U32(2); tiff.Add((byte)'N'); tiff.Add(0); tiff.Add(0); tiff.Add(0);
    U16(0x0002); U16(5); U32(3); U32(gpsDataAt);
    U16(0x0003); U16(2); U32(2); tiff.Add((byte)'E'); tiff.Add(0); tiff.Add(0); tiff.Add(0);
    U16(0x0004); U16(5); U32(3); U32(gpsDataAt + 24);
    U32(0);
    foreach (var (n, d) in new[] { (52, 1), (31, 1), (12, 1), (13, 1), (24, 1), (36, 1) })
    {
        U32(n);
        U32(d);
    }

    return Concat("Exif\0\0"u8.ToArray(), tiff.ToArray());
}

// A GIF89a with a 4-colour global table; every pixel written as a literal LZW code with a clear code every two pixels,
// so the code width stays at 3 bits (simple and valid, if not small).
static byte[] Gif(int w, int h, byte[][] frames, int transparentIndex, bool loop)
{
    var gif = new List<byte>();
    gif.AddRange("GIF89a"u8.ToArray());
    gif.AddRange([(byte)w, (byte)(w >> 8), (byte)h, (byte)(h >> 8), 0x81, 0, 0]);
    gif.AddRange([0, 0, 0, 255, 0, 0, 0, 160, 255, 255, 255, 0]);
    gif.AddRange([0x21, 0xFE, 15]);
    gif.AddRange("Jane Doe camera"u8.ToArray());
    gif.Add(0);
    var xmp = "XMP DataXMP"u8.ToArray();
    var xmpBody = "<x:xmpmeta>Jane Doe</x:xmpmeta>"u8.ToArray();
    gif.AddRange([0x21, 0xFF, 11]);
    gif.AddRange(xmp);
    gif.Add((byte)xmpBody.Length);
    gif.AddRange(xmpBody);
    gif.Add(0);
    if (loop)
    {
        gif.AddRange([0x21, 0xFF, 11]);
        gif.AddRange("NETSCAPE2.0"u8.ToArray());
        gif.AddRange([3, 1, 0, 0, 0]);
    }

    foreach (var frame in frames)
    {
        gif.AddRange([0x21, 0xF9, 4, 0x09, 10, 0, (byte)transparentIndex, 0]);
        gif.AddRange([0x2C, 0, 0, 0, 0, (byte)w, (byte)(w >> 8), (byte)h, (byte)(h >> 8), 0]);
        gif.Add(2);
        var codes = new List<int>();
        for (var i = 0; i < frame.Length; i++)
        {
            if (i % 2 == 0)
            {
                codes.Add(4);
            }

            codes.Add(frame[i]);
        }

        codes.Add(5);
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var code in codes)
        {
            buffer |= code << bits;
            bits += 3;
            while (bits >= 8)
            {
                bytes.Add((byte)buffer);
                buffer >>= 8;
                bits -= 8;
            }
        }

        if (bits > 0)
        {
            bytes.Add((byte)buffer);
        }

        for (var i = 0; i < bytes.Count; i += 255)
        {
            var n = Math.Min(255, bytes.Count - i);
            gif.Add((byte)n);
            gif.AddRange(bytes.GetRange(i, n));
        }

        gif.Add(0);
    }

    gif.Add(0x3B);
    return gif.ToArray();
}
