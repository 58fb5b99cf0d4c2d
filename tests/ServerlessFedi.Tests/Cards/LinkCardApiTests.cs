using System.Net;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Remote;
using ServerlessFedi.Tests.Federation;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.MastodonApi;
using ServerlessFedi.Tests.Media;
using ServerlessFedi.Tests.Remote;

namespace ServerlessFedi.Tests.Cards;

/// <summary>
/// Link previews end to end over real HTTP (docs: entities/PreviewCard, entities/Status#card): a post answers
/// <c>card: null</c>, the media queue fetches the page served on 127.0.0.1 and attaches the card, whose image this
/// instance serves; the API everywhere and the public page show it; a URL is fetched once for every status linking to it,
/// a page without a card too; an edit that removes the link removes the card. The pages' host name resolves to
/// 127.0.0.1 (<see cref="FakeNetwork"/>), because our formatter, like Mastodon's, links only URLs with a domain name.
/// </summary>
[TestClass]
public sealed class LinkCardApiTests
{
    private static TestInstance _instance = null!;
    private static CardPageServer _pages = null!;
    private static LocalAccount _alice = null!;
    private static string _token = "";

    private const string PagesHost = "pages.example.test";

    private static ApiTestClient Api => new(_instance);

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _pages = await CardPageServer.StartAsync();
        var network = new FakeNetwork().Map(PagesHost, "127.0.0.1");
        _instance = await TestInstance.StartAsync(configureServices: services => services.AddSingleton(sp => new RemoteClient(
            sp.GetRequiredService<FediOptions>(),
            sp.GetRequiredService<InstanceUrls>(),
            TimeProvider.System,
            NullLogger<RemoteClient>.Instance,
            RemoteClientLimits.Default,
            network.ResolveAsync,
            network.ConnectAsync)));
        (_alice, _token) = await Api.AccountAsync("alice", "read", "write");
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        await _instance.DisposeAsync();
        await _pages.DisposeAsync();
    }

    private static string Link(string path) => $"http://{PagesHost}:{_pages.BaseUri.Port}{path}";

    private static async Task<JsonElement> CardOfAsync(string statusId) =>
        (await Eventually.ValueAsync(() => Api.GetAsync($"/api/v1/statuses/{statusId}", _token), r => r.Body.GetProperty("card").ValueKind == JsonValueKind.Object, "the card being attached")).Body.GetProperty("card");

    [TestMethod]
    public async Task A_link_served_by_a_loopback_page_gets_a_card_with_an_image_from_this_instance_in_the_API_and_on_the_page()
    {
        var link = Link("/article");
        var (status, posted) = await Api.SendAsync(HttpMethod.Post, "/api/v1/statuses", _token, ApiTestClient.Json(new { status = $"Die Lage an den Flüssen: {link} #Hochwasser" }));
        Assert.AreEqual(HttpStatusCode.OK, status, posted.ToString());
        Assert.AreEqual(JsonValueKind.Null, posted.GetProperty("card").ValueKind, "the card is fetched by the queue, not within the request");
        var id = posted.GetProperty("id").GetString()!;

        var card = await CardOfAsync(id);

        Assert.AreEqual(link, card.GetProperty("url").GetString());
        Assert.AreEqual("Hochwasser: Pegel & Warnungen", card.GetProperty("title").GetString());
        Assert.AreEqual("Aktuelle Pegelstände des Landes.", card.GetProperty("description").GetString());
        Assert.AreEqual("link", card.GetProperty("type").GetString());
        Assert.AreEqual("de", card.GetProperty("language").GetString());
        Assert.AreEqual(("", ""), (card.GetProperty("html").GetString(), card.GetProperty("embed_url").GetString()));
        Assert.AreEqual("Pressestelle", card.GetProperty("authors")[0].GetProperty("name").GetString());
        Assert.AreEqual("Ein Fluss über den Ufern", card.GetProperty("image_description").GetString());
        Assert.AreEqual("2026-11-30T07:00:00.000Z", card.GetProperty("published_at").GetString());
        var image = card.GetProperty("image").GetString()!;
        StringAssert.StartsWith(image, _instance.BaseUrl + "/media/");
        Assert.IsFalse(string.IsNullOrEmpty(card.GetProperty("blurhash").GetString()));
        using (var file = await _instance.Http.GetAsync(image))
        {
            Assert.AreEqual(HttpStatusCode.OK, file.StatusCode);
            Assert.AreEqual("image/jpeg", file.Content.Headers.ContentType!.MediaType);
            Assert.IsFalse(MediaFixtures.Contains(await file.Content.ReadAsByteArrayAsync(), "GPS"));
        }

        // Every listing renders it from the status row: the home timeline (the post's fan-out places it there), the account's statuses.
        var (_, home) = await ServerlessFedi.Tests.Federation.Eventually.ValueAsync(() => Api.GetAsync("/api/v1/timelines/home", _token), h => h.Body.EnumerateArray().Any(s => s.GetProperty("id").GetString() == id), "the post in alice's home");
        Assert.AreEqual(card.ToString(), home.EnumerateArray().Single(s => s.GetProperty("id").GetString() == id).GetProperty("card").ToString());
        var (_, own) = await Api.GetAsync($"/api/v1/accounts/{_alice.Id}/statuses", _token);
        Assert.AreEqual(card.ToString(), own.EnumerateArray().Single(s => s.GetProperty("id").GetString() == id).GetProperty("card").ToString());

        // The public page: a card below the post, its image from this instance, the texts escaped.
        using var pageResponse = await _instance.Http.GetAsync($"/@alice/{id}");
        var page = new HtmlParser().ParseDocument(await pageResponse.Content.ReadAsStringAsync());
        var shown = page.QuerySelector(".h-entry a.post-card")!;
        Assert.IsNotNull(shown);
        Assert.AreEqual(link, shown.GetAttribute("href"));
        Assert.AreEqual("de", shown.GetAttribute("lang"));
        Assert.AreEqual(image, shown.QuerySelector("img")!.GetAttribute("src"));
        Assert.AreEqual("Ein Fluss über den Ufern", shown.QuerySelector("img")!.GetAttribute("alt"));
        Assert.AreEqual("Hochwasser: Pegel & Warnungen", shown.QuerySelector(".post-card-title")!.TextContent);
        Assert.AreEqual(PagesHost, shown.QuerySelector(".post-card-domain")!.TextContent);
        Assert.IsTrue(page.QuerySelectorAll("img").All(i => i.GetAttribute("src")!.StartsWith(_instance.BaseUrl + "/", StringComparison.Ordinal)), "no image from another site");

        // Another status linking the same page reuses the card: neither the page nor the image is fetched again.
        var second = await Api.PostAsync(_token, $"Noch einmal: {link}");
        Assert.AreEqual(card.ToString(), (await CardOfAsync(second)).ToString());
        Assert.AreEqual((1, 1), (_pages.HitsOf("/article"), _pages.HitsOf("/photo.jpg")));
    }

    [TestMethod]
    public async Task Mentions_and_hashtags_are_not_previewed_and_a_page_without_a_card_is_not_fetched_again()
    {
        var first = await Api.PostAsync(_token, $"@alice #Hinweis {Link("/no-title")}");
        await Eventually.TrueAsync(() => Task.FromResult(_pages.HitsOf("/no-title") == 1), "the page being fetched");
        await Api.WaitUntilQuietAsync();
        var second = await Api.PostAsync(_token, $"Again {Link("/no-title")}");
        await Api.WaitUntilQuietAsync();

        Assert.AreEqual(1, _pages.HitsOf("/no-title"), "the note that the page has no card is kept");
        foreach (var id in new[] { first, second })
        {
            Assert.AreEqual(JsonValueKind.Null, (await Api.GetAsync($"/api/v1/statuses/{id}", _token)).Body.GetProperty("card").ValueKind);
        }
    }

    [TestMethod]
    public async Task An_edit_that_changes_the_link_changes_the_card_and_one_that_removes_it_removes_it()
    {
        var id = await Api.PostAsync(_token, $"Read {Link("/plain")}");
        Assert.AreEqual("Only a title", (await CardOfAsync(id)).GetProperty("title").GetString());

        var (changed, _) = await Api.SendAsync(HttpMethod.Put, $"/api/v1/statuses/{id}", _token, ApiTestClient.Json(new { status = $"Read {Link("/twitter")}" }));
        Assert.AreEqual(HttpStatusCode.OK, changed);
        await Eventually.TrueAsync(async () => (await Api.GetAsync($"/api/v1/statuses/{id}", _token)).Body.GetProperty("card") is { ValueKind: JsonValueKind.Object } c && c.GetProperty("title").GetString() == "Twitter title", "the new link's card");

        var (removed, _) = await Api.SendAsync(HttpMethod.Put, $"/api/v1/statuses/{id}", _token, ApiTestClient.Json(new { status = "No link any more" }));
        Assert.AreEqual(HttpStatusCode.OK, removed);
        await Eventually.TrueAsync(async () => (await Api.GetAsync($"/api/v1/statuses/{id}", _token)).Body.GetProperty("card").ValueKind == JsonValueKind.Null, "the card going with the link");
    }
}
