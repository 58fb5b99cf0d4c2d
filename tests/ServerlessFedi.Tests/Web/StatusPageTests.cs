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
        _instance = await TestInstance.StartAsync();
        var alice = await _instance.CreateAccountAsync("alice", displayName: "Alice Agency");
        _token = await _instance.Services.GetRequiredService<AccessTokenStore>().IssueAsync(alice.Id, ["write"]);
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    private static async Task<string> Post(string text, string visibility = "public")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/statuses")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { status = text, visibility, language = "de" }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        var response = await _instance.Http.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
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
