using static ServerlessFedi.Tests.Content.ContentFixture;

namespace ServerlessFedi.Tests.Content;

/// <summary>URLs become links shortened as Mastodon's TextFormatter#link_to_url shows them.</summary>
[TestClass]
public sealed class UrlLinkTests
{
    [TestMethod]
    public void A_short_url_shows_everything_after_the_scheme()
    {
        Assert.AreEqual(
            $"<p>{UrlLink("https://example.com/short", "https://", "example.com/short", "", ellipsis: false)}</p>",
            Html("https://example.com/short"));
    }

    [TestMethod]
    public void A_long_url_shows_thirty_characters_after_scheme_and_www_with_an_ellipsis()
    {
        Assert.AreEqual(
            $"<p>{UrlLink("https://www.example.com/a/very/long/path/that/goes/on", "https://www.", "example.com/a/very/long/path/t", "hat/goes/on", ellipsis: true)}</p>",
            Html("https://www.example.com/a/very/long/path/that/goes/on"));
    }

    [TestMethod]
    public void Exactly_thirty_characters_are_not_cut()
    {
        Assert.AreEqual(
            $"<p>{UrlLink("http://example.com/abcdefghijklmnopqr", "http://", "example.com/abcdefghijklmnopqr", "", ellipsis: false)}</p>",
            Html("http://example.com/abcdefghijklmnopqr"));
    }

    [TestMethod]
    public void Query_and_fragment_belong_to_the_link_and_are_escaped()
    {
        Assert.AreEqual(
            $"<p>{UrlLink("https://example.com/search?q=fedi&amp;lang=de#results", "https://", "example.com/search?q=fedi&amp;lang", "=de#results", ellipsis: true)}</p>",
            Html("https://example.com/search?q=fedi&lang=de#results"));
    }

    [TestMethod]
    [DataRow("See https://example.com/page.", "See ", ".")]
    [DataRow("https://example.com/page, then", "", ", then")]
    [DataRow("https://example.com/page; then", "", "; then")]
    [DataRow("https://example.com/page: then", "", ": then")]
    [DataRow("https://example.com/page!", "", "!")]
    [DataRow("https://example.com/page?", "", "?")]
    [DataRow("https://example.com/page...", "", "...")]
    [DataRow("(https://example.com/page)", "(", ")")]
    [DataRow("\"https://example.com/page\"", "&quot;", "&quot;")]
    [DataRow("'https://example.com/page'", "&#39;", "&#39;")]
    [DataRow("<https://example.com/page>", "&lt;", "&gt;")]
    [DataRow("「https://example.com/page」", "「", "」")]
    [DataRow("https://example.com/page\u3000more", "", "\u3000more")]
    public void Trailing_punctuation_stays_outside_the_link(string text, string before, string after)
    {
        Assert.AreEqual(
            $"<p>{before}{UrlLink("https://example.com/page", "https://", "example.com/page", "", ellipsis: false)}{after}</p>",
            Html(text));
    }

    [TestMethod]
    [DataRow("https://en.wikipedia.org/wiki/Diaspora_(software)", "")]
    [DataRow("(see https://en.wikipedia.org/wiki/Diaspora_(software))", ")")]
    [DataRow("https://en.wikipedia.org/wiki/Diaspora_(software).", ".")]
    public void Balanced_parentheses_belong_to_the_link(string text, string after)
    {
        var html = Html(text);

        StringAssert.Contains(html, "href=\"https://en.wikipedia.org/wiki/Diaspora_(software)\"");
        StringAssert.EndsWith(html, $"</a>{after}</p>");
    }

    [TestMethod]
    [DataRow("https://example.com/wiki/A_(b_(c)_d)", "https://example.com/wiki/A_(b_(c)_d)")]
    [DataRow("https://example.com/wiki/A_(b", "https://example.com/wiki/A_")]
    [DataRow("https://example.com/wiki/A_b)", "https://example.com/wiki/A_b")]
    [DataRow("https://example.com/wiki/()", "https://example.com/wiki/")]
    [DataRow("https://example.com?q=1", "https://example.com?q=1")]
    [DataRow("https://example.com:8443/x", "https://example.com:8443/x")]
    [DataRow("https://example.com#frag", "https://example.com")]
    [DataRow("https://example.com/page#section-2", "https://example.com/page#section-2")]
    [DataRow("https://example.com.", "https://example.com")]
    [DataRow("https://example.com-", "https://example.com")]
    [DataRow("https://sub_domain.example.co.uk/", "https://sub_domain.example.co.uk/")]
    [DataRow("https://xn--bcher-kva.example/", "https://xn--bcher-kva.example/")]
    [DataRow("https://ja.wikipedia.org/wiki/日本", "https://ja.wikipedia.org/wiki/日本")]
    [DataRow("https://www.ruby-toolbox.com/search?utf8=✓", "https://www.ruby-toolbox.com/search?utf8=✓")]
    [DataRow("http://example.com/b<del>b</del>", "http://example.com/b")]
    [DataRow("看https://example.com/", "https://example.com/")]
    public void The_link_covers_exactly_the_url(string text, string href)
    {
        var links = ParseBody(Html(text)).QuerySelectorAll("a");

        Assert.HasCount(1, links);
        Assert.AreEqual(href, links[0].GetAttribute("href"));
    }

    [TestMethod]
    [DataRow("javascript:alert(1)")]
    [DataRow("ftp://example.com/file")]
    [DataRow("data:text/html,<b>x</b>")]
    [DataRow("http://localhost:8080/")]
    [DataRow("https://example/")]
    [DataRow("https://127.0.0.1/")]
    [DataRow("https://.example.com/")]
    [DataRow("http://www\\.google\\.com")]
    [DataRow("foohttps://example.com/")]
    [DataRow("@https://example.com/")]
    [DataRow("https://user@example.com/")]
    [DataRow("example.com/without/scheme")]
    [DataRow("https://")]
    public void Text_that_is_not_an_http_url_is_not_linked(string text)
    {
        Assert.IsEmpty(ParseBody(Html(text)).QuerySelectorAll("a"));
    }

    [TestMethod]
    public void An_international_domain_is_shown_as_written()
    {
        Assert.AreEqual($"<p>{UrlLink("https://nic.みんな/", "https://", "nic.みんな/", "", ellipsis: false)}</p>", Html("https://nic.みんな/"));
    }

    [TestMethod]
    public void An_upper_case_scheme_is_shown_like_mastodon_shows_it()
    {
        Assert.AreEqual($"<p>{UrlLink("HTTPS://EXAMPLE.COM", "", "HTTPS://EXAMPLE.COM", "", ellipsis: false)}</p>", Html("HTTPS://EXAMPLE.COM"));
    }

    [TestMethod]
    public void Shortening_counts_code_points_and_never_splits_an_emoji()
    {
        var path = new string('a', 17) + "😀b";

        Assert.AreEqual(
            $"<p>{UrlLink($"https://example.com/{path}", "https://", $"example.com/{new string('a', 17)}😀", "b", ellipsis: true)}</p>",
            Html($"https://example.com/{path}"));
    }

    [TestMethod]
    public void Several_urls_in_a_sentence_are_each_linked()
    {
        var links = ParseBody(Html("Read https://example.com/a and http://example.org/b, then https://example.net/c.")).QuerySelectorAll("a");

        CollectionAssert.AreEqual(
            new[] { "https://example.com/a", "http://example.org/b", "https://example.net/c" },
            links.Select(a => a.GetAttribute("href")).ToArray());
    }
}
