using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessFedi.Tests.Federation;

namespace ServerlessFedi.Tests.Cards;

/// <summary>
/// A remote status gets its card from this server's own fetch (Mastodon sends no cards; each server fetches its own):
/// a Create from a <see cref="FakePeer"/> with a link to a page on 127.0.0.1.
/// </summary>
[TestClass]
public sealed class LinkCardFederationTests : FederationTest<LinkCardFederationTests>
{
    [TestMethod]
    public async Task A_remote_Create_with_a_link_gets_a_card_fetched_by_this_server()
    {
        await using var pages = await CardPageServer.StartAsync();
        var (alice, token) = await AccountAsync("cardreader");
        var carol = Peer.AddActor("carol" + Next());
        var noteId = $"{carol.Id}/statuses/{Next()}";
        var link = pages.Url("/plain");
        var create = Create(carol, new JsonObject
        {
            ["id"] = noteId,
            ["type"] = "Note",
            ["attributedTo"] = carol.Id,
            ["to"] = new JsonArray(Public),
            ["cc"] = new JsonArray(ActorUri(alice)),
            ["content"] = $"<p><span class=\"h-card\"><a href=\"{ActorUri(alice)}\" class=\"u-url mention\">@cardreader</a></span> see <a href=\"{link}\">{link}</a></p>",
            ["published"] = "2026-11-20T10:00:00Z",
            ["tag"] = new JsonArray(new JsonObject { ["type"] = "Mention", ["href"] = ActorUri(alice), ["name"] = "@cardreader" }),
        });

        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", create, carol)).StatusCode);

        var notifications = await Eventually.ValueAsync(() => GetAsync("/api/v1/notifications", token), n => n.Body.GetArrayLength() > 0, "the mention");
        var id = notifications.Body[0].GetProperty("status").GetProperty("id").GetString()!;
        var (_, status) = await Eventually.ValueAsync(() => GetAsync($"/api/v1/statuses/{id}", token), r => r.Body.GetProperty("card").ValueKind == JsonValueKind.Object, "the remote status's card");
        var card = status.GetProperty("card");
        Assert.AreEqual((link, "Only a title"), (card.GetProperty("url").GetString(), card.GetProperty("title").GetString()));
        Assert.AreEqual(1, pages.HitsOf("/plain"));
    }
}
