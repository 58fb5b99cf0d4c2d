using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessFedi.Accounts;

namespace ServerlessFedi.Tests.Federation;

/// <summary>The quoted author's Delete of a QuoteAuthorization (FEP-044f "Revoking"), for our quotes and for remote ones we show.</summary>
public sealed partial class QuoteFederationTests
{
    [TestMethod]
    public async Task The_quoted_author_revoking_our_quote_makes_it_revoked_and_tells_our_followers()
    {
        var (alice, token) = await AccountAsync("revokedquoter");
        var follower = Peer.AddActor("quotefollower" + Next(), sharedInbox: false);
        await PostSignedAsync($"/users/{alice.Username}/inbox", Activity(follower, "Follow", ActorUri(alice)), follower);
        await ReceivedAsync(follower, "Accept");
        var author = Peer.AddActor("revoker" + Next());
        var (quoteId, authorizationUri) = await AcceptedQuoteOfRemoteAsync(alice, token, author);
        var ours = StatusUri(alice, quoteId);

        // Someone else than the quoted author, or another authorization id, or an embedded object of another type: nothing changes.
        var mallory = Peer.AddActor("revokeimpostor" + Next());
        await PostSignedAsync("/inbox", Activity(mallory, "Delete", authorizationUri), mallory);
        await PostSignedAsync("/inbox", Activity(author, "Delete", $"{author.Id}/authorizations/{Next()}"), author);
        var tombstone = Activity(author, "Delete", null);
        tombstone["object"] = new JsonObject { ["id"] = authorizationUri, ["type"] = "Tombstone" };
        await PostSignedAsync("/inbox", tombstone, author);
        await WaitUntilQuietAsync();
        Assert.AreEqual("accepted", (await GetAsync($"/api/v1/statuses/{quoteId}", token)).Body.GetProperty("quote").GetProperty("state").GetString());
        Assert.AreEqual(authorizationUri, (await GetJsonAsync(new Uri(ours).AbsolutePath)).GetProperty("quoteAuthorization").GetString());

        var updatesBefore = UpdatesTo(follower, ours).Count;
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Activity(author, "Delete", authorizationUri), author)).StatusCode);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/statuses/{quoteId}", token)).Body.GetProperty("quote").GetProperty("state").GetString() == "revoked", "the quote revoked");
        var (_, shown) = await GetAsync($"/api/v1/statuses/{quoteId}", token);
        Assert.IsFalse(shown.GetProperty("quote").TryGetProperty("quoted_status", out var quoted) && quoted.ValueKind == JsonValueKind.Object, "a revoked quote shows no quoted status");
        var note = await GetJsonAsync(new Uri(ours).AbsolutePath);
        Assert.IsFalse(note.TryGetProperty("quoteAuthorization", out _), "our Note no longer claims the authorization");
        await Eventually.TrueAsync(() => Task.FromResult(UpdatesTo(follower, ours).Count == updatesBefore + 1), "the Update to the follower");
        var update = UpdatesTo(follower, ours)[^1];
        Assert.IsNotNull(update["object"]!["quote"], "still a quote, now without approval");
        Assert.IsNull(update["object"]!["quoteAuthorization"], "followers drop the authorization too");
        await WaitUntilQuietAsync();
        Assert.IsFalse((await GetAsync("/api/v1/notifications", token)).Body.EnumerateArray().Any(n => n.GetProperty("status").ValueKind == JsonValueKind.Object && n.GetProperty("status").GetProperty("id").GetString() == quoteId),
            "Mastodon 4.5 notifies nobody of a revocation");
    }

    [TestMethod]
    public async Task A_remote_quote_we_show_is_revoked_only_by_the_quoted_author()
    {
        var (alice, token) = await AccountAsync("watcher");
        var author = Peer.AddActor("origin" + Next());
        var quoter = Peer.AddActor("requoter" + Next());
        var quotedUri = $"{author.Id}/statuses/{Next()}";
        await PostSignedAsync("/inbox", Create(author, Mentioning(Note(quotedUri, author.Id, "<p>The original.</p>"), alice)), author);
        await MentionedAsync(token, quotedUri);
        var quoteUri = $"{quoter.Id}/statuses/{Next()}";
        var authorization = Authorization(author.Id, quoteUri, quotedUri);
        var authorizationUri = (string)authorization["id"]!;
        Peer.Serve(new Uri(authorizationUri).AbsolutePath, authorization);
        var quote = Mentioning(QuoteNote(quoteUri, quoter.Id, quotedUri), alice);
        quote["quoteAuthorization"] = authorizationUri;
        await PostSignedAsync("/inbox", Create(quoter, quote), quoter);
        Assert.AreEqual("accepted", (await MentionedAsync(token, quoteUri)).GetProperty("quote").GetProperty("state").GetString());

        // The quoter cannot revoke the approval it was given.
        await PostSignedAsync("/inbox", Activity(quoter, "Delete", authorizationUri), quoter);
        await WaitUntilQuietAsync();
        Assert.AreEqual("accepted", (await MentionedAsync(token, quoteUri)).GetProperty("quote").GetProperty("state").GetString());

        var embedded = Activity(author, "Delete", null);
        embedded["object"] = new JsonObject { ["id"] = authorizationUri, ["type"] = "QuoteAuthorization" };
        await PostSignedAsync("/inbox", embedded, author);
        await Eventually.TrueAsync(async () => (await MentionedAsync(token, quoteUri)).GetProperty("quote").GetProperty("state").GetString() == "revoked", "the remote quote revoked");
    }

    [TestMethod]
    public async Task The_author_changes_who_may_quote_a_post_and_followers_hear_of_it()
    {
        var (alice, token) = await AccountAsync("policyowner");
        var (_, otherToken) = await AccountAsync("policystranger");
        var follower = Peer.AddActor("policyfollower" + Next(), sharedInbox: false);
        await PostSignedAsync($"/users/{alice.Username}/inbox", Activity(follower, "Follow", ActorUri(alice)), follower);
        await ReceivedAsync(follower, "Accept");
        var post = await PostAsync(token, "Open for quoting, for now.");
        var path = $"/api/v1/statuses/{post}/interaction_policy";

        var (bad, error) = await SendAsync(HttpMethod.Put, path, token, Json(new { quote_approval_policy = "everyone" }));
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, bad);
        Assert.IsTrue(error.TryGetProperty("error", out _));
        Assert.AreEqual(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Put, path, otherToken, Json(new { quote_approval_policy = "nobody" }))).Status, "only the author's own statuses");
        Assert.AreEqual(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Put, "/api/v1/statuses/100000000000000001/interaction_policy", token, Json(new { quote_approval_policy = "nobody" }))).Status);
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Put, path, null, Json(new { quote_approval_policy = "nobody" }))).Status);
        Assert.AreEqual(Public, (await CanQuoteAsync(alice, post))[0].GetString(), "hostile requests changed nothing");

        var (ok, shown) = await SendAsync(HttpMethod.Put, path, token, Json(new { quote_approval_policy = "nobody" }));
        Assert.AreEqual(HttpStatusCode.OK, ok, shown.ToString());
        Assert.AreEqual(post, shown.GetProperty("id").GetString());
        Assert.AreEqual(0, shown.GetProperty("quote_approval").GetProperty("automatic").GetArrayLength());
        Assert.AreEqual(ActorUri(alice), (await CanQuoteAsync(alice, post))[0].GetString());
        await Eventually.TrueAsync(() => Task.FromResult(UpdatesTo(follower, StatusUri(alice, post)).Count == 1), "the Update to the follower");
        Assert.AreEqual(ActorUri(alice), (string?)UpdatesTo(follower, StatusUri(alice, post))[0]["object"]!["interactionPolicy"]!["canQuote"]!["automaticApproval"]![0]);

        // Requests under the new policy follow it.
        var quoter = Peer.AddActor("latequoter" + Next());
        var quoteUri = $"{quoter.Id}/statuses/{Next()}";
        await PostSignedAsync("/inbox", QuoteRequest(quoter, StatusUri(alice, post), QuoteNote(quoteUri, quoter.Id, StatusUri(alice, post))), quoter);
        await ReceivedAsync(quoter, "Reject", a => (string?)a["object"]?["instrument"] == quoteUri);

        var (_, reopened) = await SendAsync(HttpMethod.Put, path, token, Json(new { quote_approval_policy = "public" }));
        Assert.AreEqual("public", reopened.GetProperty("quote_approval").GetProperty("automatic")[0].GetString());
        var again = $"{quoter.Id}/statuses/{Next()}";
        await PostSignedAsync("/inbox", QuoteRequest(quoter, StatusUri(alice, post), QuoteNote(again, quoter.Id, StatusUri(alice, post))), quoter);
        await ReceivedAsync(quoter, "Accept", a => (string?)a["object"]?["instrument"] == again);
    }

    private static List<JsonNode> UpdatesTo(PeerActor actor, string objectId) =>
        [.. Peer.PostsTo(actor.InboxPath).Select(p => JsonNode.Parse(p.BodyText)!).Where(a => (string?)a["type"] == "Update" && (string?)a["object"]?["id"] == objectId)];

    /// <summary>A remote status alice is sent, quoted by her and accepted by its author: her quote's id and the authorization's URI.</summary>
    private static async Task<(string QuoteId, string AuthorizationUri)> AcceptedQuoteOfRemoteAsync(LocalAccount alice, string token, PeerActor author)
    {
        var remoteUri = $"{author.Id}/statuses/{Next()}";
        await PostSignedAsync("/inbox", Create(author, Quotable(Mentioning(Note(remoteUri, author.Id, "<p>Remote words.</p>"), alice))), author);
        var remote = await MentionedAsync(token, remoteUri);
        var (status, pending) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, Json(new { status = "Worth reading:", quoted_status_id = remote.GetProperty("id").GetString() }));
        Assert.AreEqual(HttpStatusCode.OK, status, pending.ToString());
        var quoteId = pending.GetProperty("id").GetString()!;
        var request = await ReceivedAsync(author, "QuoteRequest", r => (string?)r["instrument"]?["id"] == StatusUri(alice, quoteId));
        var accept = Activity(author, "Accept", null);
        accept["object"] = JsonNode.Parse(request.ToJsonString());
        accept["object"]!.AsObject().Remove("@context");
        var authorizationUri = $"{author.Id}/authorizations/{Next()}";
        accept["result"] = authorizationUri;
        await PostSignedAsync($"/users/{alice.Username}/inbox", accept, author);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/statuses/{quoteId}", token)).Body.GetProperty("quote").GetProperty("state").GetString() == "accepted", "the quote accepted");
        return (quoteId, authorizationUri);
    }
}
