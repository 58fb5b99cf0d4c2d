using System.Diagnostics;
using ServerlessFedi.Content;
using static ServerlessFedi.Tests.Content.ContentFixture;

namespace ServerlessFedi.Tests.Content;

/// <summary>Whatever a user types, the only markup in the output is the formatter's own.</summary>
[TestClass]
public sealed class HostileTextTests
{
    private static readonly HashSet<string> AllowedElements = ["P", "BR", "A", "SPAN"];

    private static readonly HashSet<string> AllowedAttributes = ["href", "class", "rel", "target", "translate"];

    public static IEnumerable<object[]> Samples =>
    [
        ["<script>alert(1)</script>"],
        ["\"><img src=x onerror=alert(1)>"],
        ["<a href=\"javascript:alert(1)\">click</a>"],
        ["javascript:alert(1) and JaVaScRiPt:alert(1)"],
        ["https://example.com/\"onmouseover=alert(1)"],
        ["https://example.com/'onmouseover='alert(1)"],
        ["https://example.com/?q=\"><script>alert(1)</script>"],
        ["#tag<script> @alice<b>x</b> https://example.com/<i>"],
        ["&lt;already escaped&gt; &amp; &#39; &"],
        ["<!-- comment --> <![CDATA[x]]> <?xml?>"],
        ["https://example.com/\u202Egpj.exe and \u202Edesrever @alice \u2066x\u2069"],
        ["Line one\n\nLine <two>\r\n@bob@remote.example #Tag https://www.example.com/a/long/path/that/is/cut/off?x=1&y=2"],
        ["\0\u0001\u0008 control characters \uFEFF\uFFFD"],
        ["\uD800 lone surrogate https://example.com/\uDC00x"],
    ];

    [TestMethod]
    public void A_script_tag_is_escaped()
    {
        Assert.AreEqual("<p>&lt;script&gt;alert(&quot;Hello&quot;)&lt;/script&gt;</p>", Html("<script>alert(\"Hello\")</script>"));
    }

    [TestMethod]
    public void An_attribute_breakout_is_escaped()
    {
        Assert.AreEqual("<p>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</p>", Html("\"><img src=x onerror=alert(1)>"));
    }

    [TestMethod]
    public void A_javascript_url_is_not_linked()
    {
        Assert.AreEqual("<p>javascript:alert(document.cookie)</p>", Html("javascript:alert(document.cookie)"));
    }

    [TestMethod]
    public void A_quote_in_a_url_stays_inside_the_escaped_href()
    {
        var html = Html("https://example.com/\"onmouseover=alert(1)");
        var link = ParseBody(html).QuerySelector("a")!;

        StringAssert.Contains(html, "href=\"https://example.com/&quot;onmouseover=alert(1)\"");
        Assert.AreEqual("https://example.com/\"onmouseover=alert(1)", link.GetAttribute("href"));
        Assert.IsFalse(link.HasAttribute("onmouseover"));
    }

    [TestMethod]
    public void A_url_stops_at_a_right_to_left_override_which_stays_text()
    {
        var body = ParseBody(Html("https://example.com/\u202Egpj.exe"));

        Assert.AreEqual("https://example.com/", body.QuerySelector("a")!.GetAttribute("href"));
        Assert.AreEqual("https://example.com/\u202Egpj.exe", body.TextContent);
    }

    [TestMethod]
    public void A_profile_url_with_markup_is_escaped()
    {
        var evil = new MentionTarget("eve", "evil.example", "https://evil.example/users/eve", "https://evil.example/@eve\" onclick=\"alert(1)");
        var html = new StatusFormatter(Urls).Format("@eve@evil.example", (_, _) => evil).Html;

        Assert.AreEqual("https://evil.example/@eve\" onclick=\"alert(1)", ParseBody(html).QuerySelector("a")!.GetAttribute("href"));
        Assert.IsFalse(ParseBody(html).QuerySelector("a")!.HasAttribute("onclick"));
    }

    [TestMethod]
    [DynamicData(nameof(Samples))]
    public void Only_paragraphs_breaks_links_and_spans_come_out(string text)
    {
        var body = ParseBody(Html(text));

        foreach (var element in body.QuerySelectorAll("*"))
        {
            Assert.Contains(element.TagName, AllowedElements);
            foreach (var attribute in element.Attributes)
            {
                Assert.Contains(attribute.Name, AllowedAttributes);
            }
        }

        foreach (var link in body.QuerySelectorAll("a"))
        {
            var href = new Uri(link.GetAttribute("href")!);
            Assert.IsTrue(href.Scheme is "https" or "http", href.ToString());
        }
    }

    [TestMethod]
    [DynamicData(nameof(Samples))]
    public void The_visible_text_is_the_text_that_was_typed(string text)
    {
        // Mentions of known accounts show the username only; take them out of the comparison.
        var withoutMentions = new StatusFormatter(Urls).Format(text, (_, _) => null).Html;
        var expected = text.Trim('\0', '\t', '\n', '\v', '\f', '\r', ' ').Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);

        Assert.AreEqual(expected, ParseBody(withoutMentions).TextContent);
    }

    [TestMethod]
    [DataRow('#')]
    [DataRow('@')]
    [DataRow('(')]
    [DataRow(')')]
    [DataRow('.')]
    [DataRow('<')]
    [DataRow('\n')]
    public void Ten_thousand_of_one_character_are_handled(char c)
    {
        var text = "x" + new string(c, 10_000) + "!";

        var formatted = Format(text);

        Assert.IsEmpty(formatted.Tags);
        Assert.IsEmpty(formatted.Mentions);
        Assert.IsEmpty(ParseBody(formatted.Html).QuerySelectorAll("a"));
        Assert.AreEqual(text.Replace("\n", "", StringComparison.Ordinal), ParseBody(formatted.Html).TextContent);
    }

    /// <summary>100 KB inputs that make backtracking regular expressions or nested rescans blow up; named so test names stay short.</summary>
    private static readonly Dictionary<string, Func<string>> AdversarialInputs = new()
    {
        ["hashes"] = () => new string('#', 100_000),
        ["ats"] = () => new string('@', 100_000),
        ["at-word pairs"] = () => string.Concat(Enumerable.Repeat("@a", 50_000)),
        ["at-domain chains"] = () => string.Concat(Enumerable.Repeat("@a@b", 25_000)),
        ["dotted username"] = () => "@" + string.Concat(Enumerable.Repeat("a.", 50_000)),
        ["dotted domain"] = () => "@a@" + string.Concat(Enumerable.Repeat("b.", 50_000)) + "@",
        ["digit tags"] = () => string.Concat(Enumerable.Repeat("#1", 50_000)),
        ["separator tags"] = () => "#a" + string.Concat(Enumerable.Repeat("·", 100_000)),
        ["schemes"] = () => string.Concat(Enumerable.Repeat("http://", 15_000)),
        ["hostless"] = () => string.Concat(Enumerable.Repeat("https://a", 11_000)),
        ["long label"] = () => "https://" + new string('a', 100_000),
        ["dashed host"] = () => "https://" + string.Concat(Enumerable.Repeat("a-", 50_000)),
        ["dotted host"] = () => "https://" + string.Concat(Enumerable.Repeat("a.", 50_000)) + "1",
        ["open parentheses"] = () => "https://a.bc/" + new string('(', 100_000),
        ["nested parentheses"] = () => string.Concat(Enumerable.Repeat("https://a.bc/(x(", 7_000)),
        ["unclosed group"] = () => "https://a.bc/(" + string.Concat(Enumerable.Repeat("https://a.bc/", 8_000)),
        ["trailing punctuation"] = () => "https://a.bc/" + new string('.', 100_000),
        ["query punctuation"] = () => "https://a.bc/?" + new string('!', 100_000),
        ["many links"] = () => string.Concat(Enumerable.Repeat("https://a.bc/ ", 7_000)),
        ["many tags"] = () => string.Concat(Enumerable.Repeat("#tag ", 20_000)),
        ["distinct tags"] = () => string.Join(' ', Enumerable.Range(0, 12_000).Select(i => $"#t{i}")),
        ["many mentions"] = () => string.Concat(Enumerable.Repeat("@bob@remote.example ", 5_000)),
    };

    public static IEnumerable<object[]> Adversarial => AdversarialInputs.Keys.Select(name => new object[] { name });

    [TestMethod]
    [DynamicData(nameof(Adversarial))]
    public void A_hundred_kilobytes_of_hostile_text_are_formatted_in_linear_time(string name)
    {
        var text = AdversarialInputs[name]();
        Assert.IsGreaterThanOrEqualTo(70_000, text.Length, name);
        var stopwatch = Stopwatch.StartNew();

        var formatted = Format(text);
        var count = StatusFormatter.CountCharacters(text);

        stopwatch.Stop();
        Assert.IsGreaterThan(0, count, name);
        Assert.IsFalse(string.IsNullOrEmpty(formatted.Html), name);
        Assert.IsLessThan(TimeSpan.FromSeconds(5), stopwatch.Elapsed, $"{name} took {stopwatch.Elapsed}");
    }
}
