using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Federation;
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
        var link = pages.Url("/plain");

        var card = await CardOfMentionAsync(carol, alice, token, link);
        Assert.AreEqual((link, "Only a title"), (card.GetProperty("url").GetString(), card.GetProperty("title").GetString()));
        Assert.AreEqual(1, pages.HitsOf("/plain"));
    }

    [TestMethod]
    public async Task A_page_s_fediverse_creator_is_credited_only_when_the_known_account_lists_the_page_s_domain()
    {
        await using var pages = await CardPageServer.StartAsync();
        var (alice, token) = await AccountAsync("cardcredit");
        var peerAuthority = new Uri(Peer.BaseUrl).Authority;
        var actors = Instance.Services.GetRequiredService<RemoteActorStore>();
        // A writer's actor is stored here when its own post arrives (its signature makes the instance fetch it); its handle as WebFinger would have named it.
        async Task<(PeerActor Actor, string Handle)> WriterAsync(string name, params string[] domains)
        {
            var writer = Peer.AddActor(name);
            var document = Peer.DocumentOf(name);
            document["attributionDomains"] = new JsonArray([.. domains.Select(d => (JsonNode)JsonValue.Create(d))]);
            Peer.Serve(new Uri(writer.Id).AbsolutePath, document);
            await actors.PutHandleAsync($"{name}@{peerAuthority}", writer.Id, DateTimeOffset.UtcNow, CancellationToken.None);
            return (writer, $"{name}@{peerAuthority}");
        }

        var dora = await WriterAsync("dora" + Next(), "localhost");
        var eve = await WriterAsync("eve" + Next(), "example.org");
        var port = pages.BaseUri.Port;
        var credited = $"http://news.localhost:{port}/by/{dora.Handle}";
        var otherDomain = $"http://news.localhost:{port}/by/{eve.Handle}";
        var otherHost = $"http://127.0.0.1:{port}/by/{dora.Handle}";
        var unknown = $"http://news.localhost:{port}/by/nobody{Next()}@{peerAuthority}";
        var cards = new Dictionary<string, JsonElement>();
        foreach (var (sender, link) in new[] { (eve.Actor, otherDomain), (dora.Actor, credited), (dora.Actor, otherHost), (eve.Actor, unknown) })
        {
            cards[link] = await CardOfMentionAsync(sender, alice, token, link);
        }

        var account = cards[credited].GetProperty("authors")[0].GetProperty("account");
        Assert.AreEqual(dora.Actor.Id, account.GetProperty("uri").GetString(), "the page on a host under dora's attribution domain credits her");
        Assert.AreEqual(dora.Handle, account.GetProperty("acct").GetString());
        foreach (var link in new[] { otherDomain, otherHost, unknown })
        {
            Assert.IsFalse(cards[link].GetProperty("authors").EnumerateArray().Any(a => a.GetProperty("account").ValueKind != JsonValueKind.Null), link);
        }

        Assert.IsEmpty(Peer.GetsOf("/.well-known/webfinger"), "no account is looked up for a page");
    }

    /// <summary>The card of a public Note by <paramref name="sender"/> mentioning <paramref name="reader"/> with <paramref name="link"/>, once the instance fetched it.</summary>
    private static async Task<JsonElement> CardOfMentionAsync(PeerActor sender, ServerlessFedi.Accounts.LocalAccount reader, string token, string link)
    {
        var noteId = $"{sender.Id}/statuses/{Next()}";
        var create = Create(sender, new JsonObject
        {
            ["id"] = noteId,
            ["type"] = "Note",
            ["attributedTo"] = sender.Id,
            ["to"] = new JsonArray(Public),
            ["cc"] = new JsonArray(ActorUri(reader)),
            ["content"] = $"<p><span class=\"h-card\"><a href=\"{ActorUri(reader)}\" class=\"u-url mention\">@{reader.Username}</a></span> see <a href=\"{link}\">{link}</a></p>",
            ["published"] = "2026-11-20T10:00:00Z",
            ["tag"] = new JsonArray(new JsonObject { ["type"] = "Mention", ["href"] = ActorUri(reader), ["name"] = "@" + reader.Username }),
        });
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", create, sender)).StatusCode);

        bool Mentioned(JsonElement n) => n.GetProperty("status").GetProperty("uri").GetString() == noteId;
        var notifications = await Eventually.ValueAsync(() => GetAsync("/api/v1/notifications", token), n => n.Body.EnumerateArray().Any(Mentioned), "the mention");
        var id = notifications.Body.EnumerateArray().First(Mentioned).GetProperty("status").GetProperty("id").GetString()!;
        var (_, status) = await Eventually.ValueAsync(() => GetAsync($"/api/v1/statuses/{id}", token), r => r.Body.GetProperty("card").ValueKind == JsonValueKind.Object, "the card of " + link);
        return status.GetProperty("card");
    }
}
