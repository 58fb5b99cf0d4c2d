namespace ServerlessFedi.Tests.Media;

/// <summary>The committed test images (Fixtures/, made by Fixtures/make-fixtures.cs).</summary>
internal static class MediaFixtures
{
    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Media", "Fixtures", name));

    public static bool Contains(byte[] data, string ascii) =>
        data.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(ascii)) >= 0;

    /// <summary>JPEG marker segments up to the start of the scan (marker byte after 0xFF).</summary>
    public static List<byte> JpegMarkers(byte[] jpeg)
    {
        var markers = new List<byte>();
        var position = 2;
        while (position + 4 <= jpeg.Length && jpeg[position] == 0xFF)
        {
            var marker = jpeg[position + 1];
            markers.Add(marker);
            if (marker == 0xDA)
            {
                break;
            }

            position += 2 + ((jpeg[position + 2] << 8) | jpeg[position + 3]);
        }

        return markers;
    }

    /// <summary>PNG chunk types in order.</summary>
    public static List<string> PngChunks(byte[] png)
    {
        var chunks = new List<string>();
        var position = 8;
        while (position + 8 <= png.Length)
        {
            var length = (png[position] << 24) | (png[position + 1] << 16) | (png[position + 2] << 8) | png[position + 3];
            chunks.Add(System.Text.Encoding.ASCII.GetString(png, position + 4, 4));
            position += 12 + length;
        }

        return chunks;
    }

    /// <summary>RIFF chunk ids of a WebP file.</summary>
    public static List<string> WebPChunks(byte[] webp)
    {
        var chunks = new List<string>();
        var position = 12;
        while (position + 8 <= webp.Length)
        {
            var length = webp[position + 4] | (webp[position + 5] << 8) | (webp[position + 6] << 16) | (webp[position + 7] << 24);
            chunks.Add(System.Text.Encoding.ASCII.GetString(webp, position, 4));
            position += 8 + length + (length & 1);
        }

        return chunks;
    }
}
