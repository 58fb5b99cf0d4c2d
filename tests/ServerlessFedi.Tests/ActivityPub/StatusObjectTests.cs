using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.OAuth;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.ActivityPub;

/// <summary>Statuses as ActivityPub objects: the Note, its Create, addressing by visibility, the outbox, and 410 after deletion.</summary>
[TestClass]
public sealed class StatusObjectTests
{
    private static TestInstance _instance = null!;
    private static string _token = "";

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        var alice = await _instance.CreateAccountAsync("alice", ActorType.Organization, "Alice Agency");
        _token = await _instance.Services.GetRequiredService<AccessTokenStore>().IssueAsync(alice.Id, ["read", "write"]);
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    private static async Task<string> Post(string text, string visibility = "public", string? language = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/statuses")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { status = text, visibility, language }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        var response = await _instance.Http.SendAsync(request);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAs(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/activity+json"));
        var response = await _instance.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [TestMethod]
    public async Task A_public_status_is_a_Note_addressed_to_Public_with_followers_in_cc()
    {
        var id = await Post("Hello #Fediverse", language: "en");

        var (status, note) = await GetAs($"/users/alice/statuses/{id}");

        Assert.AreEqual(HttpStatusCode.OK, status);
        Assert.AreEqual("Note", note.GetProperty("type").GetString());
        Assert.AreEqual($"{_instance.BaseUrl}/users/alice/statuses/{id}", note.GetProperty("id").GetString());
        Assert.AreEqual($"{_instance.BaseUrl}/users/alice", note.GetProperty("attributedTo").GetString());
        Assert.AreEqual("https://www.w3.org/ns/activitystreams#Public", note.GetProperty("to")[0].GetString());
        Assert.AreEqual($"{_instance.BaseUrl}/users/alice/followers", note.GetProperty("cc")[0].GetString());
        Assert.AreEqual(note.GetProperty("content").GetString(), note.GetProperty("contentMap").GetProperty("en").GetString());
        var tag = note.GetProperty("tag")[0];
        Assert.AreEqual("Hashtag", tag.GetProperty("type").GetString());
        Assert.AreEqual("#fediverse", tag.GetProperty("name").GetString());
        Assert.IsFalse(note.GetProperty("sensitive").GetBoolean());
    }

    [TestMethod]
    public async Task An_unlisted_status_is_addressed_to_followers_with_Public_in_cc()
    {
        var id = await Post("Quiet", "unlisted");

        var (_, note) = await GetAs($"/users/alice/statuses/{id}");

        Assert.AreEqual($"{_instance.BaseUrl}/users/alice/followers", note.GetProperty("to")[0].GetString());
        Assert.AreEqual("https://www.w3.org/ns/activitystreams#Public", note.GetProperty("cc")[0].GetString());
    }

    [TestMethod]
    public async Task Private_statuses_are_not_served_to_anonymous_fetches()
    {
        var id = await Post("Followers only", "private");

        Assert.AreEqual(HttpStatusCode.NotFound, (await GetAs($"/users/alice/statuses/{id}")).Status);
    }

    [TestMethod]
    public async Task The_activity_is_the_Create_wrapping_the_Note()
    {
        var id = await Post("Created");

        var (_, create) = await GetAs($"/users/alice/statuses/{id}/activity");

        Assert.AreEqual("Create", create.GetProperty("type").GetString());
        Assert.AreEqual($"{_instance.BaseUrl}/users/alice", create.GetProperty("actor").GetString());
        Assert.AreEqual($"{_instance.BaseUrl}/users/alice/statuses/{id}", create.GetProperty("object").GetProperty("id").GetString());
    }

    [TestMethod]
    public async Task A_deleted_status_answers_410_with_a_Tombstone()
    {
        var id = await Post("Soon gone");
        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/statuses/{id}");
        delete.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        Assert.AreEqual(HttpStatusCode.OK, (await _instance.Http.SendAsync(delete)).StatusCode);

        var (status, tombstone) = await GetAs($"/users/alice/statuses/{id}");

        Assert.AreEqual(HttpStatusCode.Gone, status);
        Assert.AreEqual("Tombstone", tombstone.GetProperty("type").GetString());
    }

    [TestMethod]
    public async Task Browsers_asking_for_a_status_are_sent_to_its_page()
    {
        var id = await Post("For people");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/users/alice/statuses/{id}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        var response = await _instance.Http.SendAsync(request);

        Assert.AreEqual(HttpStatusCode.Found, response.StatusCode);
        Assert.AreEqual($"{_instance.BaseUrl}/@alice/{id}", response.Headers.Location!.ToString());
    }

    [TestMethod]
    public async Task The_outbox_counts_statuses_and_lists_public_ones_newest_first()
    {
        var first = await Post("Outbox one");
        var second = await Post("Outbox two");
        var hidden = await Post("Outbox private", "private");

        var (_, outbox) = await GetAs("/users/alice/outbox");
        var (_, page) = await GetAs("/users/alice/outbox?page=true");

        Assert.IsGreaterThanOrEqualTo(3, outbox.GetProperty("totalItems").GetInt32());
        var ids = page.GetProperty("orderedItems").EnumerateArray().Select(i => i.GetProperty("object").GetProperty("id").GetString()).ToList();
        Assert.IsTrue(ids.IndexOf($"{_instance.BaseUrl}/users/alice/statuses/{second}") < ids.IndexOf($"{_instance.BaseUrl}/users/alice/statuses/{first}"));
        Assert.DoesNotContain($"{_instance.BaseUrl}/users/alice/statuses/{hidden}", ids);
    }

    [TestMethod]
    public async Task Featured_lists_pinned_public_posts_as_notes_and_following_lists_followed_actors()
    {
        var pinned = await Post("Pinned statement");
        var deletedPin = await Post("Pinned, then deleted");
        foreach (var id in new[] { pinned, deletedPin })
        {
            using var pin = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/statuses/{id}/pin");
            pin.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            Assert.AreEqual(HttpStatusCode.OK, (await _instance.Http.SendAsync(pin)).StatusCode);
        }

        using (var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/statuses/{deletedPin}"))
        {
            delete.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            Assert.AreEqual(HttpStatusCode.OK, (await _instance.Http.SendAsync(delete)).StatusCode);
        }

        var bob = await _instance.CreateAccountAsync("bob_followed");
        using (var follow = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{bob.Id}/follow"))
        {
            follow.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _instance.Services.GetRequiredService<AccessTokenStore>().IssueAsync((await _instance.Accounts.GetByUsernameAsync("alice"))!.Id, ["follow"]));
            Assert.AreEqual(HttpStatusCode.OK, (await _instance.Http.SendAsync(follow)).StatusCode);
        }

        var (status, featured) = await GetAs("/users/alice/collections/featured");
        var (_, following) = await GetAs("/users/alice/following");
        var (_, followingPage) = await GetAs("/users/alice/following?page=true");

        Assert.AreEqual(HttpStatusCode.OK, status);
        Assert.AreEqual("OrderedCollection", featured.GetProperty("type").GetString());
        var notes = featured.GetProperty("orderedItems").EnumerateArray().ToList();
        Assert.HasCount(1, notes, "a deleted pin is not published");
        Assert.AreEqual("Note", notes[0].GetProperty("type").GetString());
        Assert.AreEqual($"{_instance.BaseUrl}/users/alice/statuses/{pinned}", notes[0].GetProperty("id").GetString());
        Assert.AreEqual(1, featured.GetProperty("totalItems").GetInt32());
        Assert.AreEqual(1, following.GetProperty("totalItems").GetInt32());
        Assert.AreEqual($"{_instance.BaseUrl}/users/alice/following?page=true", following.GetProperty("first").GetString());
        CollectionAssert.AreEqual(new[] { $"{_instance.BaseUrl}/users/bob_followed" }, followingPage.GetProperty("orderedItems").EnumerateArray().Select(i => i.GetString()).ToArray());
        Assert.AreEqual(HttpStatusCode.NotFound, (await GetAs("/users/nobody_here/collections/featured")).Status);
    }
}
