using ServerlessFedi.Media;

namespace ServerlessFedi.Tests.Media;

/// <summary>The block-level GIF rewriter on its own: what stays, what goes, and what is refused.</summary>
[TestClass]
public sealed class GifRewriterTests
{
    [TestMethod]
    public void Frames_and_loop_stay_and_everything_else_goes()
    {
        var (gif, frames) = GifRewriter.Strip(MediaFixtures.Read("animated.gif"))!.Value;

        Assert.AreEqual(2, frames);
        Assert.IsTrue(MediaFixtures.Contains(gif, "NETSCAPE2.0"));
        Assert.IsFalse(MediaFixtures.Contains(gif, "Jane Doe"));
        Assert.IsFalse(MediaFixtures.Contains(gif, "XMP DataXMP"));
        Assert.AreEqual(0x3B, gif[^1]);
    }

    [TestMethod]
    public void A_missing_trailer_after_complete_blocks_is_supplied()
    {
        var input = MediaFixtures.Read("animated.gif");
        var end = input.AsSpan().IndexOf("hidden after the trailer"u8) - 1;

        var result = GifRewriter.Strip(input.AsSpan(0, end));

        Assert.IsNotNull(result);
        Assert.AreEqual(2, result.Value.Frames);
        Assert.AreEqual(0x3B, result.Value.Gif[^1]);
    }

    [TestMethod]
    public void A_GIF_cut_inside_a_block_is_refused()
    {
        var input = MediaFixtures.Read("animated.gif");

        Assert.IsNull(GifRewriter.Strip(input.AsSpan(0, input.Length / 2)));
    }

    [TestMethod]
    public void Something_that_is_not_a_GIF_is_refused()
    {
        Assert.IsNull(GifRewriter.Strip(MediaFixtures.Read("photo.webp")));
        Assert.IsNull(GifRewriter.Strip("GIF89a"u8));
    }
}
