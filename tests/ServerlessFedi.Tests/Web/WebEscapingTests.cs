using System.Net;
using ServerlessFedi.Accounts;
using ServerlessFedi.Statuses;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Web;

/// <summary>Hostile display names, bios, status text and operator text appear as text on every page, never as markup.</summary>
[TestClass]
public sealed class WebEscapingTests
{
    private const string Hostile = "\"><script>alert(1)</script><img src=x onerror=alert(2)>'&amp;";

    /// <summary>Display names are limited to 30 characters.</summary>
    private const string HostileName = "<script>alert(1)</script>&amp;";

    private static TestInstance _instance = null!;
    private static LocalAccount _mallory = null!;
    private static Status _post = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Fedi:InstanceTitle"] = "Title </title><script>alert(3)</script>",
            ["Fedi:InstanceDescription"] = "Desc <b onmouseover=alert(4)>bold</b>",
            ["Fedi:ImprintText"] = "# <h1>Heading</h1>\n\n<iframe src=//evil.example></iframe>\nline <a href=javascript:alert(5)>x</a>",
            ["Fedi:PrivacyPolicyText"] = "<style>body{display:none}</style>",
        });
        _mallory = await _instance.CreateAccountAsync("mallory", displayName: HostileName);
        await _instance.AccountProfiles.UpdateProfileAsync("mallory", null, "Bio " + Hostile + "\n<p onclick=alert(6)>para</p>", null);
        _post = await WebFixture.PostAsync(_instance, _mallory, "Text " + Hostile + " #tag", spoiler: "CW " + Hostile, language: "en");
        await WebFixture.PostAsync(_instance, _mallory, "Reply " + Hostile, inReplyToId: _post.Id);
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    [TestMethod]
    [DataRow("/")]
    [DataRow("/@mallory")]
    [DataRow("/about")]
    [DataRow("/imprint")]
    [DataRow("/privacy")]
    [DataRow("/@mallory/remote_follow?acct=%22%3E%3Cscript%3Ealert(7)%3C%2Fscript%3E")]
    public async Task Hostile_text_never_becomes_markup(string path)
    {
        var (_, doc) = await WebFixture.GetPageAsync(_instance, path);

        AssertNoInjectedMarkup(doc);
    }

    [TestMethod]
    public async Task The_status_page_shows_hostile_text_as_text()
    {
        var (response, doc) = await WebFixture.GetPageAsync(_instance, $"/@mallory/{_post.Id}");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        AssertNoInjectedMarkup(doc);
        var post = doc.QuerySelector("article.post-focus")!;
        StringAssert.Contains(post.QuerySelector(".e-content")!.TextContent, "<script>alert(1)</script>");
        Assert.AreEqual("CW " + Hostile, post.QuerySelector("summary")!.TextContent);
        Assert.AreEqual(HostileName, post.QuerySelector(".p-author .p-name")!.TextContent);
        Assert.AreEqual("Post by " + HostileName, doc.QuerySelector("h1")!.TextContent);
        StringAssert.Contains(PublicPagesTests.Meta(doc, "og:title"), HostileName);
    }

    [TestMethod]
    public async Task Display_name_and_bio_are_escaped_on_the_profile()
    {
        var (_, doc) = await WebFixture.GetPageAsync(_instance, "/@mallory");

        Assert.AreEqual(HostileName, doc.QuerySelector("h1")!.TextContent);
        StringAssert.Contains(doc.QuerySelector(".p-note")!.TextContent, "Bio " + Hostile);
        StringAssert.Contains(doc.QuerySelector(".p-note")!.TextContent, "<p onclick=alert(6)>para</p>");
        StringAssert.Contains(doc.Title!, HostileName);
    }

    [TestMethod]
    public async Task Operator_text_is_escaped_too()
    {
        var (_, imprint) = await WebFixture.GetPageAsync(_instance, "/imprint");
        var (_, privacy) = await WebFixture.GetPageAsync(_instance, "/privacy");

        Assert.AreEqual("<h1>Heading</h1>", imprint.QuerySelector("main h2")!.TextContent);
        StringAssert.Contains(imprint.QuerySelector("main")!.TextContent, "<iframe src=//evil.example></iframe>");
        StringAssert.Contains(privacy.QuerySelector("main")!.TextContent, "<style>body{display:none}</style>");
        Assert.AreEqual("Title </title><script>alert(3)</script>", imprint.QuerySelector("header .site-title")!.TextContent);
    }

    private static void AssertNoInjectedMarkup(AngleSharp.Html.Dom.IHtmlDocument doc)
    {
        Assert.IsEmpty(doc.QuerySelectorAll("script, iframe, style, b, main h1 h1"), doc.DocumentElement.OuterHtml);
        Assert.IsEmpty(doc.QuerySelectorAll("img[src=x], [onerror], [onclick], [onmouseover]"));
        Assert.IsEmpty(doc.QuerySelectorAll("a[href^='javascript']"));
        Assert.HasCount(1, doc.QuerySelectorAll("title"));
    }
}
