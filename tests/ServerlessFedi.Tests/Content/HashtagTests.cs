using static ServerlessFedi.Tests.Content.ContentFixture;

namespace ServerlessFedi.Tests.Content;

/// <summary>Hashtags as Mastodon's Tag::HASHTAG_RE finds them and TextFormatter#link_to_hashtag writes them.</summary>
[TestClass]
public sealed class HashtagTests
{
    [TestMethod]
    public void A_hashtag_links_to_the_tag_page()
    {
        var formatted = Format("#fediverse");

        Assert.AreEqual($"<p><a href=\"{Base}/tags/fediverse\" class=\"mention hashtag\" rel=\"tag\">#<span>fediverse</span></a></p>", formatted.Html);
        CollectionAssert.AreEqual(new[] { "fediverse" }, formatted.Tags.ToArray());
    }

    [TestMethod]
    public void A_unicode_hashtag_keeps_its_letters_and_is_percent_encoded_in_the_href()
    {
        var formatted = Format("Mehr #Bürgerbeteiligung!");

        Assert.AreEqual(
            $"<p>Mehr <a href=\"{Base}/tags/B%C3%BCrgerbeteiligung\" class=\"mention hashtag\" rel=\"tag\">#<span>Bürgerbeteiligung</span></a>!</p>",
            formatted.Html);
        CollectionAssert.AreEqual(new[] { "bürgerbeteiligung" }, formatted.Tags.ToArray());
    }

    [TestMethod]
    [DataRow("#tag.", "tag", ".")]
    [DataRow("#tag, more", "tag", ", more")]
    [DataRow("#tag's", "tag", "&#39;s")]
    [DataRow("#tag-suffix", "tag", "-suffix")]
    [DataRow("#tag#other", "tag", "#other")]
    [DataRow("#snake_case_", "snake_case_", "")]
    [DataRow("#wahl2026", "wahl2026", "")]
    [DataRow("#2026_wahl", "2026_wahl", "")]
    [DataRow("#foo·bar·", "foo·bar", "·")]
    [DataRow("#日本語", "日本語", "")]
    public void The_tag_stops_at_the_first_character_that_cannot_be_in_a_name(string text, string name, string after)
    {
        StringAssert.EndsWith(Html(text), $"#<span>{name}</span></a>{after}</p>");
    }

    [TestMethod]
    [DataRow("#2026")]
    [DataRow("#123_")]
    [DataRow("foo#bar")]
    [DataRow("C#")]
    [DataRow("a/#b")]
    [DataRow("(x)#b")]
    [DataRow("#")]
    [DataRow("# tag")]
    [DataRow("#·tag")]
    [DataRow("https://example.com/#anchor")]
    [DataRow("https://example.com/page#anchor")]
    public void Text_that_is_not_a_hashtag_is_not_linked(string text)
    {
        var formatted = Format(text);

        Assert.DoesNotContain("hashtag", formatted.Html);
        Assert.IsEmpty(formatted.Tags);
    }

    [TestMethod]
    public void Tags_are_lower_case_distinct_and_in_order()
    {
        var formatted = Format("#Fedi #Verwaltung #fedi #FEDI and #Ämter");

        CollectionAssert.AreEqual(new[] { "fedi", "verwaltung", "ämter" }, formatted.Tags.ToArray());
        StringAssert.Contains(formatted.Html, $"<a href=\"{Base}/tags/FEDI\" class=\"mention hashtag\" rel=\"tag\">#<span>FEDI</span></a>");
    }

    [TestMethod]
    public void A_tag_after_non_ascii_text_is_still_a_tag_as_in_mastodon()
    {
        CollectionAssert.AreEqual(new[] { "タグ" }, Format("日本#タグ").Tags.ToArray());
    }

    [TestMethod]
    public void A_tag_glued_to_a_url_leaves_the_url_whole()
    {
        var formatted = Format("#日本https://example.com/");

        CollectionAssert.AreEqual(new[] { "日本" }, formatted.Tags.ToArray());
        StringAssert.Contains(formatted.Html, "href=\"https://example.com/\"");
    }

    [TestMethod]
    public void A_tag_at_the_start_of_a_line_is_a_tag()
    {
        CollectionAssert.AreEqual(new[] { "first", "second" }, Format("#first\n#second").Tags.ToArray());
    }
}
