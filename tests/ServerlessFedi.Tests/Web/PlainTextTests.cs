using ServerlessFedi.Content;
using ServerlessFedi.Web;

namespace ServerlessFedi.Tests.Web;

/// <summary>Operator text and stored bios become text blocks that the templates escape.</summary>
[TestClass]
public sealed class PlainTextTests
{
    [TestMethod]
    public void Operator_text_has_paragraphs_line_breaks_and_headings()
    {
        var blocks = PlainText.Blocks("# Contact\r\n\r\nState Office\r\nMain Street 1\n\n\n  Phone 0123  \n\n#not a heading");

        Assert.HasCount(4, blocks);
        Assert.IsTrue(blocks[0].IsHeading);
        Assert.AreEqual("Contact", blocks[0].Lines[0]);
        CollectionAssert.AreEqual(new[] { "State Office", "Main Street 1" }, blocks[1].Lines.ToArray());
        CollectionAssert.AreEqual(new[] { "Phone 0123" }, blocks[2].Lines.ToArray());
        Assert.IsFalse(blocks[3].IsHeading);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("  \n\n ")]
    public void Empty_text_has_no_blocks(string? text) => Assert.IsEmpty(PlainText.Blocks(text));

    [TestMethod]
    public void A_stored_bio_round_trips_to_its_text()
    {
        var text = "We <inform> & \"help\".\nLine two\n\nSecond paragraph";

        var blocks = PlainText.FromNoteHtml(NoteHtml.FromPlainText(text));

        Assert.HasCount(2, blocks);
        CollectionAssert.AreEqual(new[] { "We <inform> & \"help\".", "Line two" }, blocks[0].Lines.ToArray());
        CollectionAssert.AreEqual(new[] { "Second paragraph" }, blocks[1].Lines.ToArray());
    }

    [TestMethod]
    public void Unexpected_tags_in_a_stored_bio_are_dropped_and_entities_decoded_to_text()
    {
        var blocks = PlainText.FromNoteHtml("<p>Hi <script>alert(1)</script><a href=\"javascript:x\">link</a> &lt;b&gt;</p><img src=x onerror=alert(2)");

        Assert.HasCount(1, blocks);
        Assert.AreEqual("Hi alert(1)link <b>", blocks[0].Lines[0]);
    }
}
