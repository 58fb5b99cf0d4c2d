using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Polls;
using ServerlessFedi.Statuses;
using ServerlessFedi.Tests.Federation;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.MastodonApi;

namespace ServerlessFedi.Tests.Polls;

/// <summary>
/// Polls over ActivityPub with a <see cref="FakePeer"/>, in Mastodon's shapes: a local poll goes out as a Question, a
/// remote vote (a Create of a Note named after an option, replying to the Question) is counted once per actor and
/// option, a remote Question is shown with its counts and refreshed by its Update, and a local vote on a remote poll
/// goes to the poll's server.
/// </summary>
[TestClass]
public sealed class PollFederationTests : FederationTest<PollFederationTests>
{
    private static async Task<string> PostPollAsync(string token, bool multiple = false)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, Json(new { status = "Where should the next town hall be?", poll = new { options = new[] { "North", "South", "Online" }, expires_in = 3600, multiple } }));
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        return body.GetProperty("id").GetString()!;
    }

    private static JsonObject Vote(PeerActor voter, string questionId, string option, LocalAccount author) => Create(voter, new JsonObject
    {
        ["id"] = $"{voter.Id}#votes/{Next()}",
        ["type"] = "Note",
        ["name"] = option,
        ["attributedTo"] = voter.Id,
        ["to"] = new JsonArray(ActorUri(author)),
        ["inReplyTo"] = questionId,
    });

    private static async Task<long[]> CountsAsync(string id, string? token = null)
    {
        var (_, poll) = await GetAsync($"/api/v1/polls/{id}", token);
        return [.. poll.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("votes_count").GetInt64())];
    }

    [TestMethod]
    public async Task A_local_poll_reaches_followers_as_a_Question()
    {
        var (alice, token) = await AccountAsync("questioner");
        var follower = Peer.AddActor("qfollower" + Next());
        await Api.FollowAsync(follower, alice);

        var id = await PostPollAsync(token);
        var create = await ApiTestClient.ReceivedAsync(Peer, "/inbox", "Create", a => (string?)a["object"]?["id"] == StatusUri(alice, id), "the poll's Create");
        var question = create!["object"]!;
        Assert.AreEqual("Question", (string?)question["type"]);
        CollectionAssert.AreEqual(new[] { "North", "South", "Online" }, question["oneOf"]!.AsArray().Select(o => (string?)o!["name"]).ToArray());
        Assert.AreEqual(0, (int)question["oneOf"]![0]!["replies"]!["totalItems"]!);
        Assert.AreEqual("Collection", (string?)question["oneOf"]![0]!["replies"]!["type"]);
        Assert.IsNotNull(question["endTime"]);
        Assert.AreEqual(0, (int)question["votersCount"]!);
        Assert.IsNull(question["anyOf"]);

        var (_, served) = await GetActivityAsync($"/users/{alice.Username}/statuses/{id}");
        Assert.AreEqual("Question", served.GetProperty("type").GetString(), "the object served at its id is the Question too");
    }

    [TestMethod]
    public async Task A_remote_vote_is_counted_once_per_actor_and_option()
    {
        var (alice, token) = await AccountAsync("pollowner");
        var id = await PostPollAsync(token);
        var question = StatusUri(alice, id);
        var dan = Peer.AddActor("dan" + Next());
        var eve = Peer.AddActor("eve" + Next());

        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Vote(dan, question, "South", alice), dan)).StatusCode);
        // A second vote of the same actor (another activity) and a vote for an option that does not exist count nothing.
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Vote(dan, question, "North", alice), dan)).StatusCode);
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Vote(eve, question, "Nowhere", alice), eve)).StatusCode);
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Vote(eve, question, "Online", alice), eve)).StatusCode);
        await WaitUntilQuietAsync();

        // The queue may apply dan's two votes in either order: whichever comes first counts, the other nothing.
        var counts = await CountsAsync(id);
        Assert.AreEqual(1, counts[0] + counts[1], "dan's two votes on a single-choice poll count once");
        Assert.AreEqual(1, counts[2]);
        var (_, poll) = await GetAsync($"/api/v1/polls/{id}", token);
        Assert.AreEqual(2, poll.GetProperty("voters_count").GetInt64());
        var (_, replies) = await GetAsync($"/api/v1/statuses/{id}/context", token);
        Assert.AreEqual(0, replies.GetProperty("descendants").GetArrayLength(), "a vote is not a reply");
        Assert.AreEqual(0, (await GetAsync($"/api/v1/statuses/{id}", token)).Body.GetProperty("replies_count").GetInt32());

        // The new counts wait to go out in one Update (debounced), to the voters' inboxes too.
        var pending = await Instance.Services.GetRequiredService<PollStore>().ListDueUpdatesAsync(DateTimeOffset.UtcNow.Add(PollVoting.UpdateDelay).AddSeconds(5), CancellationToken.None);
        Assert.AreEqual(1, pending.Count(p => p.StatusId == id), "two votes, one pending Update");
    }

    [TestMethod]
    public async Task A_remote_multiple_choice_vote_counts_each_option_once()
    {
        var (alice, token) = await AccountAsync("anyofowner");
        var id = await PostPollAsync(token, multiple: true);
        var question = StatusUri(alice, id);
        var fay = Peer.AddActor("fay" + Next());
        foreach (var option in new[] { "North", "Online", "Online" })
        {
            Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Vote(fay, question, option, alice), fay)).StatusCode);
        }

        await WaitUntilQuietAsync();
        CollectionAssert.AreEqual(new long[] { 1, 0, 1 }, await CountsAsync(id));
        Assert.AreEqual(1, (await GetAsync($"/api/v1/polls/{id}", token)).Body.GetProperty("voters_count").GetInt64());
    }

    [TestMethod]
    public async Task A_remote_Question_is_shown_with_its_counts_refreshed_by_Update_and_a_local_vote_goes_to_its_server()
    {
        var (bob, token) = await AccountAsync("remotevoter");
        var gil = Peer.AddActor("gil" + Next());
        await Instance.Services.GetRequiredService<FollowingStore>().AddAsync(bob.Id, gil.Id, RemoteAccountIds.For(gil.Id), $"{Instance.BaseUrl}/follows/{Next()}", accepted: true, CancellationToken.None);
        var questionId = $"{gil.Id}/statuses/{Next()}";
        JsonObject Question(long a, long b, long voters) => new()
        {
            ["id"] = questionId,
            ["type"] = "Question",
            ["attributedTo"] = gil.Id,
            ["to"] = new JsonArray(Public),
            ["cc"] = new JsonArray(gil.Id + "/followers"),
            ["content"] = "<p>Tea or coffee?</p>",
            ["published"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"),
            ["endTime"] = DateTimeOffset.UtcNow.AddDays(1).ToString("O"),
            ["votersCount"] = voters,
            ["oneOf"] = new JsonArray(
                new JsonObject { ["type"] = "Note", ["name"] = "Tea", ["replies"] = new JsonObject { ["type"] = "Collection", ["totalItems"] = a } },
                new JsonObject { ["type"] = "Note", ["name"] = "Coffee", ["replies"] = new JsonObject { ["type"] = "Collection", ["totalItems"] = b } }),
        };

        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Create(gil, Question(3, 4, 7)), gil)).StatusCode);
        var home = await Eventually.ValueAsync(() => GetAsync("/api/v1/timelines/home", token), h => h.Body.GetArrayLength() > 0, "the Question in home");
        var status = home.Body[0];
        var id = status.GetProperty("id").GetString()!;
        Assert.AreEqual(questionId, status.GetProperty("uri").GetString());
        CollectionAssert.AreEqual(new long[] { 3, 4 }, await CountsAsync(id));
        Assert.AreEqual(7, status.GetProperty("poll").GetProperty("voters_count").GetInt64());

        var update = Activity(gil, "Update", null);
        update["object"] = Question(5, 9, 14);
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", update, gil)).StatusCode);
        await Eventually.TrueAsync(async () => (await CountsAsync(id)).SequenceEqual(new long[] { 5, 9 }), "the counts of the Update");
        Assert.AreEqual(System.Text.Json.JsonValueKind.Null, (await GetAsync($"/api/v1/statuses/{id}", token)).Body.GetProperty("edited_at").ValueKind, "new counts are not an edit");

        var (voted, poll) = await SendAsync(HttpMethod.Post, $"/api/v1/polls/{id}/votes", token, Json(new { choices = new[] { 1 } }));
        Assert.AreEqual(HttpStatusCode.OK, voted, poll.ToString());
        Assert.IsTrue(poll.GetProperty("voted").GetBoolean());
        var vote = await ApiTestClient.ReceivedAsync(Peer, new Uri(gil.Inbox).AbsolutePath, "Create", a => (string?)a["object"]?["inReplyTo"] == questionId, "the vote at the poll's server");
        Assert.AreEqual("Coffee", (string?)vote!["object"]!["name"]);
        Assert.AreEqual("Note", (string?)vote["object"]!["type"]);
        Assert.AreEqual(ActorUri(bob), (string?)vote["actor"]);
        Assert.IsFalse(vote["object"]!["to"]!.AsArray().Any(t => (string?)t == Public), "a vote is not public");
    }
}
