using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.OAuth;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Web;

/// <summary>The pages browsers land on from a status's or an actor's ActivityPub URL.</summary>
[TestClass]
public sealed class StatusPageTests
{
    private static TestInstance _instance = null!;
    private static string _token = "";

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync(new Dictionary<string, string?> { ["Fedi:Languages"] = "en,de" });
        var alice = await _instance.CreateAccountAsync("alice", displayName: "Alice Agency");
        _token = await _instance.Services.GetRequiredService<AccessTokenStore>().IssueAsync(alice.Id, ["write"]);
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    private static async Task<string> Post(string text, string visibility = "public", string? quotedStatusId = null, string? token = null, string? spoiler = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/statuses")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { status = text, visibility, language = "de", quoted_status_id = quotedStatusId, spoiler_text = spoiler }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? _token);
        var response = await _instance.Http.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    [TestMethod]
    public async Task A_quote_page_embeds_the_quoted_public_post_with_its_author_and_link()
    {
        var bob = await _instance.CreateAccountAsync("bob", displayName: "Bob Bureau");
        var bobToken = await _instance.Services.GetRequiredService<AccessTokenStore>().IssueAsync(bob.Id, ["write"]);
        var quoted = await Post("Die Behörde <b>informiert</b>", "unlisted", token: bobToken, spoiler: "Amtliches");
        var quote = await Post("Bitte beachten", quotedStatusId: quoted);

        var (response, doc) = await WebFixture.GetPageAsync(_instance, $"/@alice/{quote}");
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        var article = doc.QuerySelector("article.h-entry")!;
        var figure = article.QuerySelector("figure.post-quote.h-cite.u-quotation-of")!;
        Assert.IsNotNull(figure, "the quoted post is embedded inside the quoting post's article");
        Assert.AreEqual("en", figure.QuerySelector("figcaption")!.GetAttribute("lang"));
        StringAssert.Contains(figure.QuerySelector("figcaption")!.TextContent, "Quoting");
        var author = figure.QuerySelector("a.p-author.h-card")!;
        Assert.AreEqual($"{_instance.BaseUrl}/@bob", author.GetAttribute("href"));
        Assert.AreEqual("Bob Bureau", author.QuerySelector(".p-name")!.TextContent);
        var blockquote = figure.QuerySelector("blockquote")!;
        Assert.AreEqual($"{_instance.BaseUrl}/@bob/{quoted}", blockquote.GetAttribute("cite"));
        Assert.AreEqual("Amtliches", blockquote.QuerySelector("details > summary")!.TextContent, "the quoted post's content warning stays");
        var content = blockquote.QuerySelector(".e-content")!;
        Assert.AreEqual("de", content.GetAttribute("lang"));
        StringAssert.Contains(content.TextContent, "<b>informiert</b>", "escaped as on its own page");
        Assert.AreEqual($"{_instance.BaseUrl}/@bob/{quoted}", figure.QuerySelector("a.u-url")!.GetAttribute("href"));
        Assert.IsNotNull(figure.QuerySelector("time.dt-published[datetime]"));
        Assert.IsNull(article.QuerySelector("p.quote-of"), "the embed replaces the bare link");
        Assert.IsEmpty(figure.QuerySelectorAll("img"));

        var (_, german) = await WebFixture.GetPageAsync(_instance, $"/@alice/{quote}", acceptLanguage: "de");
        StringAssert.Contains(german.QuerySelector("figure.post-quote figcaption")!.TextContent, "Zitiert");
        StringAssert.Contains(german.QuerySelector("figure.post-quote .post-quote-link")!.TextContent, "Zitierter Beitrag vom");

        var (_, profile) = await WebFixture.GetPageAsync(_instance, "/@alice");
        Assert.IsTrue(profile.QuerySelectorAll("article.h-entry").Any(a => a.QuerySelector("figure.post-quote blockquote")?.GetAttribute("cite") == $"{_instance.BaseUrl}/@bob/{quoted}"), "the profile embeds it too");
    }

    [TestMethod]
    public async Task A_quoted_post_that_is_private_or_deleted_is_not_embedded()
    {
        var hidden = await Post("Nur für Follower: der Plan", "private");
        var quoteOfHidden = await Post("Wie intern besprochen", quotedStatusId: hidden);
        var gone = await Post("Wird gelöscht");
        var quoteOfGone = await Post("Siehe oben", quotedStatusId: gone);
        using (var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/statuses/{gone}"))
        {
            delete.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            Assert.AreEqual(HttpStatusCode.OK, (await _instance.Http.SendAsync(delete)).StatusCode);
        }

        var (_, hiddenPage) = await WebFixture.GetPageAsync(_instance, $"/@alice/{quoteOfHidden}");
        Assert.IsNull(hiddenPage.QuerySelector("figure.post-quote"));
        Assert.DoesNotContain("der Plan", hiddenPage.DocumentElement.OuterHtml, "nothing of a followers-only post");
        var (_, gonePage) = await WebFixture.GetPageAsync(_instance, $"/@alice/{quoteOfGone}");
        Assert.IsNull(gonePage.QuerySelector("figure.post-quote"));
        Assert.DoesNotContain("Wird gelöscht", gonePage.DocumentElement.OuterHtml);
    }

    [TestMethod]
    public async Task A_public_status_has_a_page_with_its_escaped_text_and_language()
    {
        var id = await Post("Sprechstunde am Freitag <script>alert(1)</script> https://example.gov/termine");

        var response = await _instance.Http.GetAsync($"/@alice/{id}");
        var doc = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("en", doc.DocumentElement.GetAttribute("lang"), "the page speaks the instance's language");
        Assert.IsEmpty(doc.QuerySelectorAll("script"));
        var content = doc.QuerySelector("article.h-entry .e-content")!;
        Assert.AreEqual("de", content.GetAttribute("lang"), "the post's text keeps its own");
        StringAssert.Contains(content.TextContent, "<script>alert(1)</script>");
        Assert.AreEqual("https://example.gov/termine", content.QuerySelector("a")!.GetAttribute("href"));
        Assert.IsNotNull(doc.QuerySelector("time.dt-published[datetime]"));
    }

    [TestMethod]
    public async Task Private_and_unknown_statuses_have_no_page()
    {
        var id = await Post("Nur für Follower", "private");

        Assert.AreEqual(HttpStatusCode.NotFound, (await _instance.Http.GetAsync($"/@alice/{id}")).StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, (await _instance.Http.GetAsync("/@alice/117684648624352871")).StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, (await _instance.Http.GetAsync("/@alice/not-an-id")).StatusCode);
    }

    [TestMethod]
    public async Task The_profile_lists_recent_public_posts_linking_to_their_pages()
    {
        var id = await Post("Neue Öffnungszeiten");
        await Post("Intern", "private");

        var doc = new HtmlParser().ParseDocument(await _instance.Http.GetStringAsync("/@alice"));
        var links = doc.QuerySelectorAll("article.h-entry a.u-url").Select(a => a.GetAttribute("href")).ToList();

        Assert.Contains($"{_instance.BaseUrl}/@alice/{id}", links);
        Assert.IsFalse(doc.QuerySelectorAll("article").Any(a => a.TextContent.Contains("Intern", StringComparison.Ordinal)));
    }
}
