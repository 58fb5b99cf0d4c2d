using System.Net;
using System.Net.Http.Headers;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Statuses;
using ServerlessFedi.Tests.Infrastructure;
using Visibility = ServerlessFedi.Statuses.Visibility;

namespace ServerlessFedi.Tests.Web;

/// <summary>Structure, metadata and headers of every public page, parsed as a browser would.</summary>
[TestClass]
public sealed class PublicPagesTests
{
    private static TestInstance _instance = null!;
    private static LocalAccount _alice = null!;
    private static LocalAccount _bob = null!;
    private static Status _root = null!;
    private static Status _reply = null!;
    private static Status _replyToReply = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Fedi:InstanceTitle"] = "Land Beispiel Social",
            ["Fedi:InstanceDescription"] = "Official accounts of the state's agencies.",
            ["Fedi:ContactEmail"] = "fediverse@example.gov",
            ["Fedi:Languages"] = "en,de",
            ["Fedi:ImprintText"] = "# Responsible\n\nState Data Protection Office\nMain Street 1\n\nPhone: 0123",
            ["Fedi:PrivacyPolicyUrl"] = "https://www.example.gov/privacy",
        });
        _alice = await _instance.CreateAccountAsync("alice", ActorType.Organization, displayName: "Alice Agency");
        await _instance.AccountProfiles.UpdateProfileAsync("alice", null, "We inform citizens.\n\nOpen Monday to Friday.", null);
        _bob = await _instance.CreateAccountAsync("bob", displayName: "Bob Bureau");
        _root = await WebFixture.PostAsync(_instance, _alice, "Office hours change on Friday #Service", language: "en");
        _reply = await WebFixture.PostAsync(_instance, _bob, "@alice Thank you!", inReplyToId: _root.Id);
        _replyToReply = await WebFixture.PostAsync(_instance, _alice, "@bob You are welcome.", inReplyToId: _reply.Id);
        await WebFixture.PostAsync(_instance, _bob, "@alice internal note", Visibility.Private, inReplyToId: _root.Id);
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    public static IEnumerable<object[]> Pages() =>
    [
        ["/"], ["/@alice"], ["/@bob"], ["/about"], ["/imprint"], ["/privacy"], ["/@alice/remote_follow"], ["/@nobody"],
    ];

    [TestMethod]
    [DynamicData(nameof(Pages))]
    public async Task Every_page_has_landmarks_one_h1_ordered_headings_a_language_and_a_skip_link(string path)
    {
        var (_, doc) = await WebFixture.GetPageAsync(_instance, path);

        AssertAccessibleStructure(doc);
    }

    [TestMethod]
    public async Task Status_pages_have_the_same_structure()
    {
        var (response, doc) = await WebFixture.GetPageAsync(_instance, $"/@bob/{_reply.Id}");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        AssertAccessibleStructure(doc);
    }

    [TestMethod]
    [DynamicData(nameof(Pages))]
    public async Task Every_page_has_strict_security_headers_caching_and_no_cookie(string path)
    {
        var response = await _instance.Http.GetAsync(path);

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        foreach (var directive in new[] { "default-src 'none'", "style-src 'self'", "img-src 'self'", "frame-ancestors 'none'", "base-uri 'none'" })
        {
            StringAssert.Contains(csp, directive);
        }

        Assert.DoesNotContain("unsafe", csp);
        StringAssert.Contains(csp, "form-action 'self'");
        Assert.AreEqual("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.AreEqual("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.IsFalse(response.Headers.Contains("Set-Cookie"));
        Assert.AreEqual("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.AreEqual("utf-8", response.Content.Headers.ContentType.CharSet);
    }

    [TestMethod]
    [DataRow("/")]
    [DataRow("/@alice")]
    [DataRow("/about")]
    [DataRow("/imprint")]
    [DataRow("/privacy")]
    public async Task Pages_carry_public_caching_and_a_strong_ETag_answered_with_304(string path)
    {
        var first = await _instance.Http.GetAsync(path);
        var etag = first.Headers.ETag!;

        Assert.IsFalse(etag.IsWeak);
        Assert.IsTrue(first.Headers.CacheControl!.Public);
        Assert.IsNotNull(first.Headers.CacheControl.MaxAge);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, path);
        conditional.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag.Tag));
        var second = await _instance.Http.SendAsync(conditional);

        Assert.AreEqual(HttpStatusCode.NotModified, second.StatusCode);
        Assert.AreEqual(etag.Tag, second.Headers.ETag!.Tag);
        Assert.AreEqual(0, (await second.Content.ReadAsByteArrayAsync()).Length);

        using var stale = new HttpRequestMessage(HttpMethod.Get, path);
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"0000\""));
        Assert.AreEqual(HttpStatusCode.OK, (await _instance.Http.SendAsync(stale)).StatusCode);
    }

    [TestMethod]
    public async Task The_front_page_shows_the_instance_operator_and_directory()
    {
        var (response, doc) = await WebFixture.GetPageAsync(_instance, "/");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("Land Beispiel Social", doc.QuerySelector("h1")!.TextContent);
        Assert.AreEqual("en", doc.DocumentElement.GetAttribute("lang"));
        StringAssert.Contains(doc.QuerySelector("main")!.TextContent, "Official accounts of the state's agencies.");
        Assert.AreEqual("mailto:fediverse@example.gov", doc.QuerySelector("main a[href^='mailto:']")!.GetAttribute("href"));
        var entries = doc.QuerySelectorAll(".directory .h-card").ToList();
        var profiles = entries.Select(e => e.QuerySelector("a.u-url")!.GetAttribute("href")).ToList();
        CollectionAssert.AreEqual(new[] { $"{_instance.BaseUrl}/@alice", $"{_instance.BaseUrl}/@bob" }, profiles);
        StringAssert.Contains(entries[0].TextContent, "We inform citizens.");
        Assert.AreEqual("website", Meta(doc, "og:type"));
        Assert.AreEqual($"{_instance.BaseUrl}/", doc.QuerySelector("link[rel=canonical]")!.GetAttribute("href"));
    }

    [TestMethod]
    public async Task The_profile_page_has_an_h_card_counts_feeds_and_opengraph()
    {
        var (response, doc) = await WebFixture.GetPageAsync(_instance, "/@alice");
        var profile = $"{_instance.BaseUrl}/@alice";

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        var card = doc.QuerySelector(".h-card.profile")!;
        Assert.AreEqual("Alice Agency", card.QuerySelector("h1.p-name")!.TextContent);
        Assert.AreEqual(profile, card.QuerySelector("a.u-url")!.GetAttribute("href"));
        Assert.AreEqual($"{_instance.BaseUrl}/avatars/original/missing.png", card.QuerySelector("img.u-photo")!.GetAttribute("src"));
        Assert.AreEqual(2, card.QuerySelectorAll(".p-note p").Length);
        Assert.AreEqual("2", Count(card, "Posts"));
        Assert.AreEqual("0", Count(card, "Followers"));
        Assert.AreEqual("0", Count(card, "Following"));
        Assert.AreEqual($"{_instance.BaseUrl}/users/alice", doc.QuerySelector("link[rel=alternate][type='application/activity+json']")!.GetAttribute("href"));
        Assert.AreEqual($"{profile}.rss", doc.QuerySelector("link[rel=alternate][type='application/rss+xml']")!.GetAttribute("href"));
        Assert.AreEqual($"{profile}.atom", doc.QuerySelector("link[rel=alternate][type='application/atom+xml']")!.GetAttribute("href"));
        Assert.AreEqual(profile, doc.QuerySelector("link[rel=canonical]")!.GetAttribute("href"));
        Assert.AreEqual("Alice Agency (@alice@" + new Uri(_instance.BaseUrl).Authority + ")", Meta(doc, "og:title"));
        Assert.AreEqual("profile", Meta(doc, "og:type"));
        Assert.AreEqual(profile, Meta(doc, "og:url"));
        Assert.AreEqual("Land Beispiel Social", Meta(doc, "og:site_name"));
        StringAssert.StartsWith(Meta(doc, "og:description"), "We inform citizens.");
        Assert.AreEqual($"@alice@{new Uri(_instance.BaseUrl).Authority}", doc.QuerySelector("code.copy-handle")!.TextContent);
        var form = doc.QuerySelector("form")!;
        Assert.AreEqual("post", form.GetAttribute("method"));
        Assert.AreEqual($"{profile}/remote_follow", form.GetAttribute("action"));
        Assert.AreEqual("remote-acct", doc.QuerySelector("label")!.GetAttribute("for"));
    }

    [TestMethod]
    public async Task Profile_posts_are_h_entries_newest_first_without_non_public_ones()
    {
        var (_, doc) = await WebFixture.GetPageAsync(_instance, "/@bob");
        var entries = doc.QuerySelectorAll("article.h-entry").ToList();

        Assert.HasCount(1, entries);
        var entry = entries[0];
        Assert.AreEqual($"{_instance.BaseUrl}/@bob/{_reply.Id}", entry.QuerySelector("a.u-uid")!.GetAttribute("href"));
        Assert.IsNotNull(entry.QuerySelector(".e-content"));
        Assert.IsNotNull(entry.QuerySelector(".p-name"));
        Assert.IsNotNull(entry.QuerySelector("time.dt-published[datetime]"));
        var author = entry.QuerySelector(".p-author.h-card")!;
        Assert.AreEqual("Bob Bureau", author.QuerySelector(".p-name")!.TextContent);
        Assert.AreEqual($"{_instance.BaseUrl}/@bob", author.GetAttribute("href"));
        Assert.AreEqual($"{_instance.BaseUrl}/@alice/{_root.Id}", entry.QuerySelector("a.u-in-reply-to")!.GetAttribute("href"));
    }

    [TestMethod]
    public async Task Profile_posts_page_back_with_max_id()
    {
        await using var instance = await TestInstance.StartAsync();
        var carol = await instance.CreateAccountAsync("carol");
        var ids = new List<string>();
        for (var i = 0; i < 23; i++)
        {
            ids.Add((await WebFixture.PostAsync(instance, carol, $"Post number {i}")).Id);
        }

        var (_, first) = await WebFixture.GetPageAsync(instance, "/@carol");
        var older = first.QuerySelector("a[rel=next]")!.GetAttribute("href")!;
        var (_, second) = await WebFixture.GetPageAsync(instance, new Uri(older).PathAndQuery);

        Assert.HasCount(20, first.QuerySelectorAll("article.h-entry"));
        StringAssert.Contains(first.QuerySelectorAll("article.h-entry")[0].TextContent, "Post number 22");
        Assert.AreEqual($"{instance.BaseUrl}/@carol?max_id={ids[3]}", older);
        var rest = second.QuerySelectorAll("article.h-entry .e-content").Select(e => e.TextContent.Trim()).ToList();
        CollectionAssert.AreEqual(new[] { "Post number 2", "Post number 1", "Post number 0" }, rest);
        Assert.IsNull(second.QuerySelector("a[rel=next]"));
        Assert.AreEqual($"{instance.BaseUrl}/@carol", second.QuerySelector("nav.pager a")!.GetAttribute("href"));
        Assert.AreEqual(older, second.QuerySelector("link[rel=canonical]")!.GetAttribute("href"));
    }

    [TestMethod]
    public async Task A_status_page_shows_its_local_ancestors_and_public_replies()
    {
        var (response, doc) = await WebFixture.GetPageAsync(_instance, $"/@bob/{_reply.Id}");
        var statusUrl = $"{_instance.BaseUrl}/@bob/{_reply.Id}";

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("Post by Bob Bureau", doc.QuerySelector("h1")!.TextContent);
        var ancestors = doc.QuerySelectorAll("section[aria-labelledby=ancestors-heading] article.h-entry a.u-uid").Select(a => a.GetAttribute("href")).ToList();
        CollectionAssert.AreEqual(new[] { $"{_instance.BaseUrl}/@alice/{_root.Id}" }, ancestors);
        Assert.AreEqual(statusUrl, doc.QuerySelector("article.post-focus a.u-uid")!.GetAttribute("href"));
        var replies = doc.QuerySelectorAll("section[aria-labelledby=replies-heading] article.h-entry a.u-uid").Select(a => a.GetAttribute("href")).ToList();
        CollectionAssert.AreEqual(new[] { $"{_instance.BaseUrl}/@alice/{_replyToReply.Id}" }, replies);
        Assert.AreEqual($"{_instance.BaseUrl}/users/bob/statuses/{_reply.Id}", doc.QuerySelector("link[rel=alternate][type='application/activity+json']")!.GetAttribute("href"));
        Assert.AreEqual("article", Meta(doc, "og:type"));
        Assert.AreEqual(statusUrl, Meta(doc, "og:url"));
        Assert.AreEqual(statusUrl, doc.QuerySelector("link[rel=canonical]")!.GetAttribute("href"));
        StringAssert.Contains(Meta(doc, "og:title"), "Bob Bureau");
        Assert.AreEqual("en", doc.DocumentElement.GetAttribute("lang"));
    }

    [TestMethod]
    public async Task Private_replies_stay_off_the_thread_and_deleted_ones_leave_it()
    {
        var author = await _instance.Accounts.GetByUsernameAsync("bob");
        var gone = await WebFixture.PostAsync(_instance, author!, "@alice I take that back", inReplyToId: _root.Id);
        var before = (await WebFixture.GetPageAsync(_instance, $"/@alice/{_root.Id}")).Document;
        await _instance.Services.GetService<StatusService>()!.DeleteAsync(author!, gone.Id, deleteMedia: true, CancellationToken.None);
        var (_, after) = await WebFixture.GetPageAsync(_instance, $"/@alice/{_root.Id}");

        var repliesBefore = before.QuerySelectorAll("section[aria-labelledby=replies-heading] article").Select(a => a.TextContent).ToList();
        Assert.HasCount(2, repliesBefore);
        Assert.IsFalse(repliesBefore.Any(r => r.Contains("internal note", StringComparison.Ordinal)));
        Assert.HasCount(1, after.QuerySelectorAll("section[aria-labelledby=replies-heading] article"));
        Assert.AreEqual(HttpStatusCode.Gone, (await _instance.Http.GetAsync($"/@bob/{gone.Id}")).StatusCode);
    }

    [TestMethod]
    public async Task Unknown_private_and_mismatched_statuses_answer_a_404_page()
    {
        var hidden = await WebFixture.PostAsync(_instance, _alice, "Only followers", Visibility.Private);

        foreach (var path in new[] { $"/@alice/{hidden.Id}", $"/@bob/{_root.Id}", "/@alice/117684648624352871", "/@alice/not-an-id", $"/@nobody/{_root.Id}", "/@nobody", "/@nobody.rss" })
        {
            var (response, doc) = await WebFixture.GetPageAsync(_instance, path);
            Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode, path);
            Assert.AreEqual("text/html", response.Content.Headers.ContentType!.MediaType, path);
            Assert.AreEqual("Not found", doc.QuerySelector("h1")!.TextContent, path);
            Assert.AreEqual("noindex, noarchive", Meta(doc, "robots", "name"), path);
        }
    }

    [TestMethod]
    public async Task Imprint_privacy_and_about_come_from_configuration_and_every_footer_links_them()
    {
        var (_, imprint) = await WebFixture.GetPageAsync(_instance, "/imprint");
        var (_, privacy) = await WebFixture.GetPageAsync(_instance, "/privacy");
        var (_, about) = await WebFixture.GetPageAsync(_instance, "/about");

        Assert.AreEqual("Responsible", imprint.QuerySelector("main h2")!.TextContent);
        var address = imprint.QuerySelectorAll("main p")[0];
        Assert.HasCount(1, address.QuerySelectorAll("br"));
        StringAssert.Contains(address.TextContent, "State Data Protection Office");
        Assert.AreEqual("https://www.example.gov/privacy", privacy.QuerySelector("main a[href^='https://www.example.gov']")!.GetAttribute("href"));
        StringAssert.Contains(about.QuerySelector("main")!.TextContent, "fediverse@example.gov");
        foreach (var doc in new[] { imprint, privacy, about })
        {
            var legal = doc.QuerySelector("footer nav")!;
            Assert.AreEqual($"{_instance.BaseUrl}/imprint", legal.QuerySelector("a[href$='/imprint']")!.GetAttribute("href"));
            Assert.IsNotNull(legal.QuerySelector("a[href='https://www.example.gov/privacy']"), "an external privacy URL is linked when no text is configured");
        }
    }

    [TestMethod]
    public async Task The_stylesheet_comes_from_our_origin_and_pages_load_nothing_else()
    {
        var (_, doc) = await WebFixture.GetPageAsync(_instance, "/@alice");
        var css = doc.QuerySelector("link[rel=stylesheet]")!.GetAttribute("href")!;
        var response = await _instance.Http.GetAsync(new Uri(css).PathAndQuery);

        StringAssert.StartsWith(css, _instance.BaseUrl + "/");
        Assert.AreEqual("text/css", response.Content.Headers.ContentType!.MediaType);
        Assert.IsTrue(response.Headers.CacheControl!.Public);
        Assert.IsEmpty(doc.QuerySelectorAll("script, iframe, object, embed, [style]"));
        foreach (var element in doc.QuerySelectorAll("img[src], link[href]"))
        {
            var url = element.GetAttribute("src") ?? element.GetAttribute("href")!;
            StringAssert.StartsWith(url, _instance.BaseUrl + "/", element.OuterHtml);
        }

        Assert.IsTrue(doc.QuerySelectorAll("img").All(i => i.HasAttribute("alt")));
    }

    internal static void AssertAccessibleStructure(IHtmlDocument doc)
    {
        Assert.IsFalse(string.IsNullOrEmpty(doc.DocumentElement.GetAttribute("lang")), "html lang");
        Assert.HasCount(1, doc.QuerySelectorAll("body > header"), "one banner");
        Assert.HasCount(1, doc.QuerySelectorAll("main"), "one main");
        Assert.HasCount(1, doc.QuerySelectorAll("body > footer"), "one contentinfo");
        Assert.IsNotNull(doc.QuerySelector("header nav[aria-label]"));
        Assert.HasCount(1, doc.QuerySelectorAll("h1"), "one h1");
        Assert.IsNotNull(doc.QuerySelector("main h1"), "the h1 is in main");
        var levels = doc.QuerySelectorAll("h1, h2, h3, h4, h5, h6").Select(h => h.LocalName[1] - '0').ToList();
        Assert.AreEqual(1, levels[0], "headings start at h1");
        for (var i = 1; i < levels.Count; i++)
        {
            Assert.IsLessThanOrEqualTo(levels[i - 1] + 1, levels[i], "no heading level is skipped");
        }

        var skip = doc.QuerySelector("body > a.skip-link")!;
        Assert.AreEqual(skip, doc.Body!.FirstElementChild, "the skip link comes first");
        Assert.AreEqual("#main", skip.GetAttribute("href"));
        Assert.AreEqual("main", doc.QuerySelector("main")!.Id);
        Assert.IsFalse(string.IsNullOrWhiteSpace(doc.Title));
        Assert.IsNotNull(doc.QuerySelector("meta[name=viewport]"));
        foreach (var property in new[] { "og:title", "og:description", "og:url", "og:type", "og:site_name" })
        {
            Assert.IsNotNull(doc.QuerySelector($"meta[property='{property}']"), property);
        }

        Assert.IsNotNull(doc.QuerySelector("link[rel=canonical]"));
        Assert.IsTrue(doc.QuerySelectorAll("img").All(i => i.HasAttribute("alt")), "every image has alt text");
        Assert.IsTrue(doc.QuerySelectorAll("input:not([type=hidden])").All(i => doc.QuerySelector($"label[for='{i.Id}']") is not null), "every input has a label");
    }

    internal static string Meta(IDocument doc, string property, string attribute = "property") =>
        doc.QuerySelector($"meta[{attribute}='{property}']")!.GetAttribute("content")!;

    private static string Count(IElement card, string label) =>
        card.QuerySelectorAll(".counts-list div").Single(d => d.QuerySelector("dt")!.TextContent == label).QuerySelector("dd")!.TextContent;
}
