using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessFedi.Tests.Federation;

namespace ServerlessFedi.Tests.Statuses;

/// <summary>
/// Followed hashtags (docs: methods/tags#follow, methods/followed_tags): public posts with a followed tag, local or
/// federated here, reach the follower's home; unfollowing stops that; the Tag entity says <c>following</c>.
/// </summary>
[TestClass]
public sealed class FollowedTagTests : FederationTest<FollowedTagTests>
{
    [TestMethod]
    public async Task Public_posts_with_a_followed_tag_local_or_remote_reach_the_followers_home_until_unfollowed()
    {
        var (_, citizen) = await AccountAsync("citizen" + Next());
        var (agency, agencyToken) = await AccountAsync("agency" + Next());
        var (_, otherToken) = await AccountAsync("other" + Next());
        var tag = "hochwasser" + Next();

        var (followed, tagBody) = await SendAsync(HttpMethod.Post, $"/api/v1/tags/{tag}/follow", citizen);
        var (_, shown) = await GetAsync($"/api/v1/tags/{tag}", citizen);
        var (_, anonymous) = await GetAsync($"/api/v1/tags/{tag}", null);
        var (_, list) = await GetAsync("/api/v1/followed_tags", citizen);
        var local = await PostAsync(agencyToken, $"Pegel steigt #{tag}");
        var unlisted = await SendAsync(HttpMethod.Post, "/api/v1/statuses", agencyToken, Json(new { status = $"Nicht öffentlich #{tag}", visibility = "unlisted" }));
        var untagged = await PostAsync(otherToken, "Nothing to see");

        // A remote post reaches this server because it addresses a local account; the tag takes it to the citizen too.
        var erin = Peer.AddActor("erin" + Next());
        var noteId = $"{erin.Id}/statuses/{Next()}";
        var note = Note(noteId, erin.Id, $"<p>Deich hält <a href=\"https://example.invalid/tags/{tag}\">#{tag}</a></p>");
        note["tag"] = new JsonArray(new JsonObject { ["type"] = "Hashtag", ["name"] = "#" + tag, ["href"] = $"https://example.invalid/tags/{tag}" });
        note["to"] = new JsonArray(Public);
        note["cc"] = new JsonArray(ActorUri(agency));
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Create(erin, note), erin)).StatusCode);

        Assert.AreEqual(HttpStatusCode.OK, followed, tagBody.ToString());
        Assert.IsTrue(tagBody.GetProperty("following").GetBoolean());
        Assert.AreEqual(tag, tagBody.GetProperty("name").GetString());
        Assert.IsTrue(shown.GetProperty("following").GetBoolean());
        Assert.IsFalse(anonymous.GetProperty("following").GetBoolean());
        Assert.AreEqual(tag, list.EnumerateArray().Single().GetProperty("name").GetString());
        var home = await Eventually.ValueAsync(() => GetAsync("/api/v1/timelines/home", citizen), h => h.Body.GetArrayLength() >= 2, "the tagged posts in the follower's home");
        var ids = home.Body.EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToList();
        var uris = home.Body.EnumerateArray().Select(s => s.GetProperty("uri").GetString()).ToList();
        CollectionAssert.Contains(ids, local);
        CollectionAssert.Contains(uris, noteId);
        CollectionAssert.DoesNotContain(ids, unlisted.Body.GetProperty("id").GetString(), "only public posts");
        CollectionAssert.DoesNotContain(ids, untagged);

        var (unfollowed, unfollowBody) = await SendAsync(HttpMethod.Post, $"/api/v1/tags/{tag}/unfollow", citizen);
        var after = await PostAsync(agencyToken, $"Entwarnung #{tag}");
        var (_, homeAfter) = await GetAsync("/api/v1/timelines/home", citizen);
        var (_, listAfter) = await GetAsync("/api/v1/followed_tags", citizen);

        Assert.AreEqual(HttpStatusCode.OK, unfollowed);
        Assert.IsFalse(unfollowBody.GetProperty("following").GetBoolean());
        CollectionAssert.DoesNotContain(homeAfter.EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToList(), after);
        Assert.AreEqual(0, listAfter.GetArrayLength());
    }

    [TestMethod]
    public async Task Bad_names_and_missing_scopes_are_refused_and_change_nothing()
    {
        var (_, token) = await AccountAsync("tagger" + Next());
        var (_, readOnly) = await Api.AccountAsync("tagreader" + Next(), "read");

        Assert.AreEqual(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, "/api/v1/tags/no%20spaces/follow", token)).Status);
        Assert.AreEqual(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, "/api/v1/tags/12345/follow", token)).Status);
        Assert.AreEqual(HttpStatusCode.NotFound, (await GetAsync($"/api/v1/tags/{new string('a', 101)}", token)).Status);
        Assert.AreEqual(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, "/api/v1/tags/floods/follow", readOnly)).Status);
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Post, "/api/v1/tags/floods/follow", null)).Status);
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await GetAsync("/api/v1/followed_tags", null)).Status);
        Assert.AreEqual(0, (await GetAsync("/api/v1/followed_tags", token)).Body.GetArrayLength());
        Assert.AreEqual(JsonValueKind.Array, (await GetAsync("/api/v1/followed_tags", readOnly)).Body.ValueKind);
    }
}
