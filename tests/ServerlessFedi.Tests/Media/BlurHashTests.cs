using ServerlessFedi.Media;
using SkiaSharp;

namespace ServerlessFedi.Tests.Media;

/// <summary>
/// The encoder against the reference: Fixtures/blurhash-reference.png hashed by woltapp's C encoder (C/encode.c, the
/// implementation Mastodon's blurhash gem wraps) from the same RGB bytes, for several component counts. woltapp's
/// TypeScript encoder (npm blurhash 2.0.5) gives other strings for this image: it quantises the largest signed AC value
/// where the C encoder and Algorithm.md take the largest absolute one.
/// </summary>
[TestClass]
public sealed class BlurHashTests
{
    [TestMethod]
    [DataRow(4, 3, "LxHBoo2yw}XAmLWZjuf8gLfkfQfk")]
    [DataRow(4, 4, "UxHBoo2yw}XAmLWZjuf8gLfkfQfkn-WrjufR")]
    [DataRow(1, 1, "00HBoo")]
    [DataRow(5, 2, "DxHBoo2yw}XAa~mLWZjuf8fR")]
    [DataRow(9, 9, "|xHBoo2yw}XAa~ogWYogWYmLWZjuf8fRe=a#e=a#gLfkfQfkfQfjfQfjfQn-WrjufRfRjufRjufRaia#azfQfQj[j@j[j@ogWYjbfRfRj[j[j[fkaia#fQfQfQjtj@jtj@ogWrjufRfRfRfQj[fQj0jufQfQfQf7azazfQ")]
    public void The_hash_matches_the_reference_encoder(int x, int y, string expected)
    {
        var (pixels, width, height) = Rgba("blurhash-reference.png");

        Assert.AreEqual(expected, BlurHash.Encode(pixels, width, height, width * 4, x, y));
    }

    [TestMethod]
    public void The_hash_length_follows_the_component_count()
    {
        var (pixels, width, height) = Rgba("blurhash-reference.png");

        Assert.HasCount(4 + (2 * 3 * 2), BlurHash.Encode(pixels, width, height, width * 4, 3, 2));
    }

    [TestMethod]
    public void Component_counts_outside_one_to_nine_are_refused()
    {
        var pixels = new byte[4];

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => BlurHash.Encode(pixels, 1, 1, 4, 0, 3));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => BlurHash.Encode(pixels, 1, 1, 4, 4, 10));
    }

    [TestMethod]
    public void A_buffer_shorter_than_its_dimensions_is_refused() =>
        Assert.ThrowsExactly<ArgumentException>(() => BlurHash.Encode(new byte[15], 2, 2, 8));

    private static (byte[] Pixels, int Width, int Height) Rgba(string fixture)
    {
        using var bitmap = SKBitmap.Decode(MediaFixtures.Read(fixture));
        var pixels = new byte[bitmap.Width * bitmap.Height * 4];
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                var i = ((y * bitmap.Width) + x) * 4;
                (pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]) = (c.Red, c.Green, c.Blue, c.Alpha);
            }
        }

        return (pixels, bitmap.Width, bitmap.Height);
    }
}
