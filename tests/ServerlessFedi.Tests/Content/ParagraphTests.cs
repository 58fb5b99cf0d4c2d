using static ServerlessFedi.Tests.Content.ContentFixture;

namespace ServerlessFedi.Tests.Content;

/// <summary>Rails simple_format as Mastodon's TextFormatter applies it.</summary>
[TestClass]
public sealed class ParagraphTests
{
    [TestMethod]
    [DataRow("text", "<p>text</p>")]
    [DataRow("line\nfeed", "<p>line<br />feed</p>")]
    [DataRow("one\n\ntwo", "<p>one</p><p>two</p>")]
    [DataRow("one\n\n\n\ntwo\nthree", "<p>one</p><p>two<br />three</p>")]
    [DataRow("one\r\n\r\ntwo\r\nthree", "<p>one</p><p>two<br />three</p>")]
    [DataRow("lone\rcarriage return", "<p>lone<br />carriage return</p>")]
    [DataRow("spaces\n \nbetween", "<p>spaces<br /> <br />between</p>")]
    [DataRow(" \n\n  padded text \t\n\n", "<p>padded text</p>")]
    public void Blank_lines_make_paragraphs_and_single_line_feeds_make_breaks(string text, string expected)
    {
        Assert.AreEqual(expected, Html(text));
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("   ")]
    [DataRow("\r\n\n\t ")]
    [DataRow("\u3000\u00a0")]
    public void Blank_text_gives_empty_html(string text)
    {
        var formatted = Format(text);

        Assert.AreEqual("", formatted.Html);
        Assert.IsEmpty(formatted.Mentions);
        Assert.IsEmpty(formatted.Tags);
    }

    [TestMethod]
    public void The_output_contains_no_line_feeds()
    {
        var html = Html("a\nb\n\nc https://example.com/x\n#tag\n@alice");

        Assert.DoesNotContain("\n", html);
        Assert.DoesNotContain("\r", html);
    }

    [TestMethod]
    public void Other_unicode_line_separators_stay_text()
    {
        Assert.AreEqual("<p>a\u2028b\u0085c</p>", Html("a\u2028b\u0085c"));
    }
}
