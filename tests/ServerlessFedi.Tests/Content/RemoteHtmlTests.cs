using System.Diagnostics;
using AngleSharp.Html.Parser;
using ServerlessFedi.Content;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Tests.Content;

/// <summary>
/// The sanitiser for HTML from other servers, against the markup that made XSS advisories in Mastodon and Misskey (scripts,
/// event handlers, foreign URL schemes, embedded documents, MathML, styles, forms): only text structure, http(s) links and
/// the microformat classes of mentions and hashtags survive.
/// </summary>
[TestClass]
public sealed class RemoteHtmlTests
{
    private const int TableLimitsChars = ServerlessFedi.Storage.TableLimits.MaxStringChars;

    private static readonly HtmlParser Parser = new();

    private static readonly Dictionary<string, Func<string>> HostileMarkup = new()
    {
        ["nested div"] = () => Repeat("<div>", 200_000) + "x",
        ["nested span"] = () => Repeat("<span>", 170_000) + "x",
        ["nested table"] = () => Repeat("<table><tr><td>", 3_000) + "x",
        ["nested link"] = () => Repeat("<a href=x>", 10_000) + "x",
        ["recreated font"] = () => Repeat("<div>" + string.Concat(Enumerable.Range(0, 95).Select(i => $"<font a{i}>")) + "</div>x", 50),
        ["stray end tags"] = () => Repeat("<span><div></span>", 5_000) + "x",
        ["attributes"] = () => "<a " + string.Join(' ', Enumerable.Range(0, 150_000).Select(i => "a" + i)) + ">x</a>",
    };

    [TestMethod]
    [DataRow("<p>Hi<script>alert(1)</script></p>")]
    [DataRow("<p><img src=x onerror=alert(1)>Hi</p>")]
    [DataRow("<p onclick=\"alert(1)\" onmouseover=\"alert(1)\">Hi</p>")]
    [DataRow("<p><a href=\"javascript:alert(1)\">Hi</a></p>")]
    [DataRow("<p><a href=\" JaVaScRiPt:alert(1)\">Hi</a></p>")]
    [DataRow("<p><a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">Hi</a></p>")]
    [DataRow("<p><a href=\"vbscript:msgbox(1)\">Hi</a></p>")]
    [DataRow("<iframe src=\"https://evil.example/\"></iframe><p>Hi</p>")]
    [DataRow("<embed src=\"https://evil.example/x.swf\"><object data=\"https://evil.example/\"></object><p>Hi</p>")]
    [DataRow("<svg><script>alert(1)</script><a xlink:href=\"javascript:alert(1)\">Hi</a></svg>")]
    [DataRow("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math><p>Hi</p>")]
    [DataRow("<p style=\"position:fixed;top:0;left:0;width:100%;height:100%\">Hi</p>")]
    [DataRow("<form action=\"https://evil.example/\"><input name=password><button>Hi</button></form>")]
    [DataRow("<base href=\"https://evil.example/\"><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\"><p>Hi</p>")]
    [DataRow("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">Hi</p></noscript>")]
    public void Active_content_is_removed_and_the_text_stays(string html)
    {
        var sanitized = RemoteHtml.Sanitize(html, RemoteNoteParser.ContentLimits);

        var document = Parser.ParseDocument("<body>" + sanitized + "</body>");
        var allowed = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "p", "br", "span", "a", "del", "s", "pre", "code", "em", "strong", "b", "i", "u", "ul", "ol", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "sub", "sup" };
        foreach (var element in document.Body!.QuerySelectorAll("*"))
        {
            Assert.Contains(element.LocalName, allowed, $"<{element.LocalName}> survived in {sanitized}");
            foreach (var attribute in element.Attributes)
            {
                Assert.Contains(attribute.Name, new[] { "href", "rel", "class", "target", "translate", "start", "reversed", "value" }, $"{attribute.Name} survived in {sanitized}");
            }

            if (element.GetAttribute("href") is { } href)
            {
                Assert.IsTrue(href.StartsWith("http://", StringComparison.Ordinal) || href.StartsWith("https://", StringComparison.Ordinal), $"href {href} survived");
            }
        }

        StringAssert.Contains(document.Body.TextContent, "Hi");
    }

    [TestMethod]
    public void Mention_and_hashtag_links_keep_their_classes_and_get_safe_rel_and_target()
    {
        var sanitized = RemoteHtml.Sanitize(
            "<p><span class=\"h-card evil\"><a href=\"https://social.example/@ann\" class=\"u-url mention overlay\" rel=\"me\" target=\"_self\">@ann</a></span> "
            + "<a href=\"https://social.example/tags/traffic\" class=\"mention hashtag\">#traffic</a></p>",
            RemoteNoteParser.ContentLimits);

        var document = Parser.ParseDocument("<body>" + sanitized + "</body>");
        Assert.AreEqual("h-card", document.QuerySelector("span")!.GetAttribute("class"));
        var links = document.QuerySelectorAll("a");
        Assert.AreEqual("u-url mention", links[0].GetAttribute("class"));
        Assert.AreEqual("mention hashtag", links[1].GetAttribute("class"));
        foreach (var link in links)
        {
            Assert.AreEqual("nofollow noopener noreferrer", link.GetAttribute("rel"));
            Assert.AreEqual("_blank", link.GetAttribute("target"));
        }
    }

    [TestMethod]
    public void Plain_text_comes_back_escaped()
    {
        Assert.AreEqual("1 &lt; 2 &amp;&amp; 3 &gt; 2", RemoteHtml.Sanitize("1 < 2 && 3 > 2", RemoteNoteParser.ContentLimits));
        Assert.AreEqual("", RemoteHtml.Sanitize(null, RemoteNoteParser.ContentLimits));
    }
    /// <summary>
    /// Shapes that cost the sanitiser more than linear time when given whole (seconds to a minute each on this machine):
    /// nesting it must unwrap element by element, formatting elements the parser recreates, stray end tags, one tag with
    /// a hundred thousand attributes. Within the budget each costs a scan; over it only the text is kept.
    /// </summary>
    [TestMethod]
    [DataRow("nested div")]
    [DataRow("nested span")]
    [DataRow("nested table")]
    [DataRow("nested link")]
    [DataRow("recreated font")]
    [DataRow("stray end tags")]
    [DataRow("attributes")]
    public void Hostile_markup_is_sanitised_within_its_budget(string name)
    {
        var html = "<p>x</p>" + HostileMarkup[name]();
        var clock = Stopwatch.StartNew();

        var sanitized = RemoteHtml.Sanitize(html, RemoteNoteParser.ContentLimits);

        clock.Stop();
        Assert.IsLessThan(TimeSpan.FromSeconds(5), clock.Elapsed, $"{name} took {clock.Elapsed}");
        Assert.IsLessThanOrEqualTo(RemoteNoteParser.ContentLimits.MaxOutputChars, sanitized.Length, name);
        Assert.Contains("x", Parser.ParseDocument("<body>" + sanitized + "</body>").Body!.TextContent, $"{name}: the text before the cut stays");
    }

    [TestMethod]
    public void A_long_post_within_the_budget_keeps_its_markup_whole()
    {
        var html = Repeat("<p>Sehr geehrte Bürgerinnen und Bürger, die Straße ist gesperrt. <a href=\"https://amt.example/info\">Info</a> 🚧</p>", 600);

        var sanitized = RemoteHtml.Sanitize(html, RemoteNoteParser.ContentLimits);

        Assert.IsGreaterThan(TableLimitsChars, sanitized.Length, "longer than one table property");
        Assert.AreEqual(600, Parser.ParseDocument("<body>" + sanitized + "</body>").QuerySelectorAll("p > a[rel]").Length);
    }

    [TestMethod]
    public void Markup_over_the_budget_keeps_its_text_in_paragraphs_escaped_and_cut()
    {
        var limits = new RemoteHtmlLimits(MaxInputChars: 10_000, MaxNodes: 4, MaxDepth: 10, MaxOutputChars: 60);
        var html = "<div><p>1 &lt; 2 <b>bold</b></p><script>alert(1)</script><p>line<br>two</p><p>" + Repeat("long ", 50) + "</p></div>";

        var text = RemoteHtml.Sanitize(html, limits);

        Assert.StartsWith("<p>1 &lt; 2 bold</p><p>line<br>two</p><p>long", text);
        Assert.EndsWith("…</p>", text);
        Assert.IsLessThanOrEqualTo(60, text.Length);
        Assert.DoesNotContain("alert", text);
    }

    private static string Repeat(string value, int count) => string.Concat(Enumerable.Repeat(value, count));
}
