using System.Globalization;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using ServerlessFedi.Accounts;
using ServerlessFedi.Statuses;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Web;

/// <summary>
/// The public pages in the reader's language: chosen from <c>Accept-Language</c> among <c>Fedi__Languages</c> (here
/// English first, then German), switched with <c>?lang=</c>, with dates, numbers and plurals of the language, and each
/// post's text in its own language.
/// </summary>
[TestClass]
public sealed class LocalizedPagesTests
{
    private static readonly string[] GermanMonths =
        ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"];

    private static TestInstance _instance = null!;
    private static Status _english = null!;
    private static Status _german = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Fedi:InstanceTitle"] = "Land Beispiel Social",
            ["Fedi:InstanceDescription"] = "Official accounts of the state's agencies.",
            ["Fedi:Languages"] = "en,de",
        });
        var alice = await _instance.CreateAccountAsync("alice", ActorType.Organization, displayName: "Alice Agency");
        var bob = await _instance.CreateAccountAsync("bob", displayName: "Bob Bureau");
        _english = await WebFixture.PostAsync(_instance, alice, "Office hours change on Friday", language: "en");
        _german = await WebFixture.PostAsync(_instance, alice, "Die Sprechzeiten ändern sich am Freitag", language: "de");
        await WebFixture.PostAsync(_instance, bob, "Hello", language: "en");
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    private static Task<(HttpResponseMessage Response, IHtmlDocument Document)> GetAsync(string path, string? acceptLanguage = null, string? ifNoneMatch = null) =>
        WebFixture.GetPageAsync(_instance, path, acceptLanguage, ifNoneMatch);

    private static string CountLabel(IDocument doc, int index) => doc.QuerySelectorAll(".counts-list dt")[index].TextContent;

    private static string Vary(HttpResponseMessage response) => string.Join(",", response.Headers.Vary);

    [TestMethod]
    public async Task The_German_profile_page_speaks_German_with_German_dates_and_plurals()
    {
        var (response, doc) = await GetAsync("/@alice", "de-DE,de;q=0.9,en;q=0.8");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("de", doc.DocumentElement.GetAttribute("lang"));
        Assert.AreEqual("Zum Hauptinhalt springen", doc.QuerySelector("a.skip-link")!.TextContent);
        Assert.AreEqual("Beiträge", doc.QuerySelector("#posts-heading")!.TextContent);
        Assert.AreEqual("Alice Agency folgen", doc.QuerySelector("#follow-heading")!.TextContent);
        Assert.AreEqual("Von Ihrem Server aus folgen", doc.QuerySelector("form button")!.TextContent);
        CollectionAssert.AreEqual(new[] { "Beiträge", "Folgt", "Follower" }, new[] { CountLabel(doc, 0), CountLabel(doc, 1), CountLabel(doc, 2) });
        foreach (var time in doc.QuerySelectorAll("time.dt-published"))
        {
            var at = DateTimeOffset.Parse(time.GetAttribute("datetime")!, CultureInfo.InvariantCulture).UtcDateTime;
            Assert.AreEqual($"{at.Day}. {GermanMonths[at.Month - 1]} {at.Year}, {at.Hour:00}:{at.Minute:00} UTC", time.TextContent);
        }

        Assert.AreEqual("Accept-Language", Vary(response));
    }

    [TestMethod]
    public async Task Each_post_keeps_its_own_language_inside_the_page()
    {
        var (_, doc) = await GetAsync("/@alice", "de");

        var languages = doc.QuerySelectorAll("article.h-entry .e-content").Select(e => e.GetAttribute("lang")).ToList();
        CollectionAssert.AreEqual(new[] { "de", "en" }, languages);
        Assert.IsNull(doc.QuerySelector("article.h-entry")!.GetAttribute("lang"), "author and date are in the page's language");

        var (_, status) = await GetAsync($"/@alice/{_german.Id}", "en");
        Assert.AreEqual("en", status.DocumentElement.GetAttribute("lang"));
        Assert.AreEqual("Post by Alice Agency", status.QuerySelector("h1")!.TextContent);
        Assert.AreEqual("de", status.QuerySelector("article.post-focus .e-content")!.GetAttribute("lang"));
    }

    [TestMethod]
    public async Task Without_a_preference_pages_are_in_the_first_configured_language()
    {
        var (response, doc) = await GetAsync("/@alice");

        Assert.AreEqual("en", doc.DocumentElement.GetAttribute("lang"));
        Assert.AreEqual("Posts", doc.QuerySelector("#posts-heading")!.TextContent);
        Assert.AreEqual("Skip to main content", doc.QuerySelector("a.skip-link")!.TextContent);
        var at = _english.CreatedAt.UtcDateTime;
        StringAssert.Contains(doc.QuerySelector("main")!.TextContent, $"{at.Day} {CultureInfo.GetCultureInfo("en").DateTimeFormat.GetMonthName(at.Month)} {at.Year}");
        Assert.AreEqual("Accept-Language", Vary(response));
    }

    [TestMethod]
    [DataRow("/@alice?lang=xx", "fr-FR,fr;q=0.9")]
    [DataRow("/@alice", "fr, it;q=0.5")]
    [DataRow("/@alice", "de;q=0, en;q=0.5")]
    public async Task An_unknown_language_falls_back_to_the_default(string path, string acceptLanguage)
    {
        var (response, doc) = await GetAsync(path, acceptLanguage);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("en", doc.DocumentElement.GetAttribute("lang"));
        Assert.AreEqual("Posts", doc.QuerySelector("#posts-heading")!.TextContent);
    }

    [TestMethod]
    public async Task Quality_values_choose_between_offered_languages()
    {
        var (_, doc) = await GetAsync("/@alice", "fr;q=1, en;q=0.5, de;q=0.8");

        Assert.AreEqual("de", doc.DocumentElement.GetAttribute("lang"));
    }

    [TestMethod]
    public async Task The_lang_parameter_switches_the_language_and_the_pages_own_links_keep_it()
    {
        var (response, doc) = await GetAsync("/@alice?lang=de", "en");

        Assert.AreEqual("de", doc.DocumentElement.GetAttribute("lang"));
        Assert.AreEqual("Beiträge", doc.QuerySelector("#posts-heading")!.TextContent);
        Assert.IsEmpty(response.Headers.Vary, "the URL names the language: nothing varies");
        Assert.AreEqual($"{_instance.BaseUrl}/?lang=de", doc.QuerySelector("a.site-title")!.GetAttribute("href"));
        Assert.AreEqual($"{_instance.BaseUrl}/@alice/{_german.Id}?lang=de", doc.QuerySelector("article.h-entry a.u-url")!.GetAttribute("href"));
        Assert.AreEqual($"{_instance.BaseUrl}/@alice?lang=de", doc.QuerySelector("article.h-entry a.p-author")!.GetAttribute("href"));
        Assert.AreEqual($"{_instance.BaseUrl}/@alice/remote_follow?lang=de", doc.QuerySelector("form")!.GetAttribute("action"), "the form carries the language too");
        Assert.AreEqual($"{_instance.BaseUrl}/@alice", doc.QuerySelector("link[rel=canonical]")!.GetAttribute("href"));
        Assert.AreEqual($"{_instance.BaseUrl}/@alice.rss", doc.QuerySelector("link[type='application/rss+xml']")!.GetAttribute("href"));

        var (_, follow) = await GetAsync("/@alice/remote_follow?lang=de&acct=nonsense", "en");
        Assert.AreEqual("de", follow.DocumentElement.GetAttribute("lang"));
        StringAssert.StartsWith(follow.QuerySelector("p.error")!.TextContent, "Das ist weder");
    }

    [TestMethod]
    public async Task Every_page_links_each_offered_language_in_its_own_name()
    {
        var (_, doc) = await GetAsync("/@alice?max_id=999999999999999999", "de");

        var switcher = doc.QuerySelectorAll("footer nav")[1];
        Assert.AreEqual("Sprache", switcher.GetAttribute("aria-label"));
        var links = switcher.QuerySelectorAll("a").ToList();
        CollectionAssert.AreEqual(new[] { "English", "Deutsch" }, links.Select(a => a.TextContent).ToArray());
        CollectionAssert.AreEqual(new[] { "en", "de" }, links.Select(a => a.GetAttribute("lang")).ToArray());
        CollectionAssert.AreEqual(
            new[] { $"{_instance.BaseUrl}/@alice?max_id=999999999999999999&lang=en", $"{_instance.BaseUrl}/@alice?max_id=999999999999999999&lang=de" },
            links.Select(a => a.GetAttribute("href")).ToArray());
        CollectionAssert.AreEqual(new[] { null, "true" }, links.Select(a => a.GetAttribute("aria-current")).ToArray());
    }

    [TestMethod]
    public async Task Each_language_has_its_own_ETag_and_revalidation_keeps_Vary()
    {
        var (german, _) = await GetAsync("/@alice", "de");
        var (english, _) = await GetAsync("/@alice", "en");
        var tag = german.Headers.ETag!.Tag;

        Assert.AreNotEqual(tag, english.Headers.ETag!.Tag);
        var (revalidated, _) = await GetAsync("/@alice", "de", tag);
        Assert.AreEqual(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.AreEqual("Accept-Language", Vary(revalidated));
        var (other, _) = await GetAsync("/@alice", "en", tag);
        Assert.AreEqual(HttpStatusCode.OK, other.StatusCode);
    }

    [TestMethod]
    public async Task The_front_page_counts_with_the_languages_plural_forms()
    {
        var (_, german) = await GetAsync("/", "de");
        var (_, english) = await GetAsync("/", "en");

        CollectionAssert.AreEqual(new[] { "2 Beiträge, 0 Follower", "1 Beitrag, 0 Follower" }, german.QuerySelectorAll(".directory .counts").Select(c => c.TextContent).ToArray());
        CollectionAssert.AreEqual(new[] { "2 posts, 0 followers", "1 post, 0 followers" }, english.QuerySelectorAll(".directory .counts").Select(c => c.TextContent).ToArray());
        Assert.AreEqual("Konten auf diesem Server", german.QuerySelector("#directory-heading")!.TextContent);
        Assert.AreEqual("en", german.QuerySelector("main > p")!.GetAttribute("lang"), "the operator's description is in the instance's first language");
        Assert.IsNull(english.QuerySelector("main > p")!.GetAttribute("lang"));
    }

    [TestMethod]
    public async Task Error_pages_the_about_page_and_feeds_follow_the_language()
    {
        var (missing, notFound) = await GetAsync("/@nobody", "de");
        Assert.AreEqual(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.AreEqual("Nicht gefunden", notFound.QuerySelector("h1")!.TextContent);
        Assert.AreEqual($"{_instance.BaseUrl}/@nobody?lang=en", notFound.QuerySelectorAll("footer nav")[1].QuerySelector("a")!.GetAttribute("href"));

        var (_, about) = await GetAsync("/about", "de");
        Assert.AreEqual("Über Land Beispiel Social", about.QuerySelector("h1")!.TextContent);
        StringAssert.Contains(about.QuerySelector("dl.facts")!.TextContent, "English, Deutsch");

        var (feed, _) = await GetAsync("/@alice.rss", "de");
        StringAssert.Contains(await feed.Content.ReadAsStringAsync(), "<description>Öffentliche Beiträge von @alice@");
        Assert.AreEqual("Accept-Language", Vary(feed));
    }
}
