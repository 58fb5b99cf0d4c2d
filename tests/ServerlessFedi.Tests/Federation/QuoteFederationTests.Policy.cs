using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServerlessFedi.Tests.Federation;

/// <summary>A remote post's own <c>interactionPolicy.canQuote</c> (FEP-044f, as Mastodon 4.5 reads it): shown to apps and applied when an agency quotes it.</summary>
public sealed partial class QuoteFederationTests
{
    [TestMethod]
    public async Task Remote_posts_are_quotable_only_as_their_interaction_policy_says()
    {
        var (alice, token) = await AccountAsync("policyreader");
        var author = Peer.AddActor("policyauthor" + Next());
        async Task<JsonElement> ReceiveAsync(string name, JsonObject? canQuote)
        {
            var uri = $"{author.Id}/statuses/{name}{Next()}";
            var note = Mentioning(Note(uri, author.Id, $"<p>Policy {name}.</p>"), alice);
            if (canQuote is not null)
            {
                note["interactionPolicy"] = new JsonObject { ["canQuote"] = canQuote };
            }

            Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Create(author, note), author)).StatusCode);
            return await MentionedAsync(token, uri);
        }

        var none = await ReceiveAsync("none", null);
        var open = await ReceiveAsync("open", new JsonObject { ["automaticApproval"] = "as:Public" });
        var followers = await ReceiveAsync("followers", new JsonObject { ["automaticApproval"] = new JsonArray(author.Id + "/followers") });
        var manual = await ReceiveAsync("manual", new JsonObject { ["automaticApproval"] = new JsonArray(author.Id), ["manualApproval"] = new JsonArray(Public) });
        var named = await ReceiveAsync("named", new JsonObject { ["automaticApproval"] = new JsonArray($"{Peer.BaseUrl}/users/someone") });
        var self = await ReceiveAsync("self", new JsonObject { ["automaticApproval"] = new JsonArray(author.Id) });

        AssertApproval(none, [], [], "denied");
        AssertApproval(open, ["public"], [], "automatic");
        AssertApproval(followers, ["followers"], [], "denied");
        AssertApproval(manual, [], ["public"], "manual");
        AssertApproval(named, ["unsupported_policy"], [], "unknown");
        AssertApproval(self, [], [], "denied");

        // Denied: 422 with Mastodon's error shape, no status, no QuoteRequest.
        var countBefore = (await GetAsync("/api/v1/accounts/verify_credentials", token)).Body.GetProperty("statuses_count").GetInt64();
        foreach (var refused in new[] { none, followers, self })
        {
            var (status, error) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, Json(new { status = "Quoting what I may not", quoted_status_id = refused.GetProperty("id").GetString() }));
            Assert.AreEqual(HttpStatusCode.UnprocessableEntity, status, refused.GetProperty("uri").GetString());
            Assert.AreEqual("Validation failed: Quoted status is not quotable", error.GetProperty("error").GetString());
        }

        // Automatic, manual and unknown: the quote is made and waits for the author's answer.
        foreach (var allowed in new[] { open, manual, named })
        {
            var (status, pending) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, Json(new { status = "Quoting what I may", quoted_status_id = allowed.GetProperty("id").GetString() }));
            Assert.AreEqual(HttpStatusCode.OK, status, pending.ToString());
            Assert.AreEqual("pending", pending.GetProperty("quote").GetProperty("state").GetString());
            await ReceivedAsync(author, "QuoteRequest", r => (string?)r["object"] == allowed.GetProperty("uri").GetString());
        }

        await WaitUntilQuietAsync();
        Assert.AreEqual(countBefore + 3, (await GetAsync("/api/v1/accounts/verify_credentials", token)).Body.GetProperty("statuses_count").GetInt64(), "the refused quotes made no status");
        var requested = Peer.PostsTo(author.InboxPath).Select(p => JsonNode.Parse(p.BodyText)!).Where(a => (string?)a["type"] == "QuoteRequest").Select(a => (string?)a["object"]).ToList();
        Assert.AreEqual(3, requested.Count, string.Join(", ", requested));

        // Once alice follows the author, its followers policy approves her at once.
        await FollowAsync(alice, author);
        var (_, followed) = await GetAsync($"/api/v1/statuses/{followers.GetProperty("id").GetString()}", token);
        AssertApproval(followed, ["followers"], [], "automatic");
        var (quoted, _) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, Json(new { status = "Now I may", quoted_status_id = followers.GetProperty("id").GetString() }));
        Assert.AreEqual(HttpStatusCode.OK, quoted);
    }

    [TestMethod]
    public async Task An_update_of_a_remote_post_changes_who_may_quote_it()
    {
        var (alice, token) = await AccountAsync("policyupdate");
        var author = Peer.AddActor("policyeditor" + Next());
        var uri = $"{author.Id}/statuses/{Next()}";
        var note = Quotable(Mentioning(Note(uri, author.Id, "<p>Quote me.</p>"), alice));
        await PostSignedAsync("/inbox", Create(author, note), author);
        var shown = await MentionedAsync(token, uri);
        AssertApproval(shown, ["public"], [], "automatic");

        var edited = (JsonObject)note.DeepClone();
        edited.Remove("interactionPolicy");
        edited["content"] = "<p>Do not quote me.</p>";
        edited["updated"] = DateTimeOffset.UtcNow.ToString("O");
        var update = Activity(author, "Update", null);
        update["object"] = edited;
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", update, author)).StatusCode);
        var id = shown.GetProperty("id").GetString();
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/statuses/{id}", token)).Body.GetProperty("quote_approval").GetProperty("current_user").GetString() == "denied", "the policy withdrawn");
        var (refused, error) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, Json(new { status = "Too late", quoted_status_id = id }));
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, refused, error.ToString());
    }

    /// <summary><paramref name="note"/> with <c>interactionPolicy.canQuote</c> approving anyone at once, as Mastodon 4.5 publishes public posts.</summary>
    private static JsonObject Quotable(JsonObject note)
    {
        note["interactionPolicy"] = new JsonObject { ["canQuote"] = new JsonObject { ["automaticApproval"] = new JsonArray(Public) } };
        return note;
    }

    private static void AssertApproval(JsonElement status, string[] automatic, string[] manual, string currentUser)
    {
        var approval = status.GetProperty("quote_approval");
        var uri = status.GetProperty("uri").GetString();
        CollectionAssert.AreEqual(automatic, approval.GetProperty("automatic").EnumerateArray().Select(e => e.GetString()).ToArray(), uri);
        CollectionAssert.AreEqual(manual, approval.GetProperty("manual").EnumerateArray().Select(e => e.GetString()).ToArray(), uri);
        Assert.AreEqual(currentUser, approval.GetProperty("current_user").GetString(), uri);
    }
}
