using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessFedi.Accounts;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// Quote posts (FEP-044f, Mastodon 4.5) between a peer and this instance: our policy on Notes, a peer's QuoteRequest
/// answered with an Accept whose authorization can be fetched (or a Reject that reveals nothing), revocation and
/// deletion sending the authorization's Delete, and the hostile variants changing nothing.
/// </summary>
[TestClass]
public sealed partial class QuoteFederationTests : FederationTest<QuoteFederationTests>
{
    [TestMethod]
    public async Task Notes_advertise_who_may_quote_them()
    {
        var (alice, token) = await AccountAsync("quotable");
        var open = await PostAsync(token, "Anyone may quote this.");
        var closed = await PostWithAsync(token, new { status = "Nobody may quote this.", quote_approval_policy = "nobody" });
        var followers = await PostWithAsync(token, new { status = "Followers may quote this.", quote_approval_policy = "followers" });
        var @private = await PostWithAsync(token, new { status = "Followers only.", visibility = "private" });

        Assert.AreEqual(Public, (await CanQuoteAsync(alice, open))[0].GetString());
        Assert.AreEqual(ActorUri(alice), (await CanQuoteAsync(alice, closed))[0].GetString(), "nobody: the author alone (FEP-044f)");
        Assert.AreEqual(ActorUri(alice) + "/followers", (await CanQuoteAsync(alice, followers))[0].GetString());
        var note = await GetJsonAsync($"/users/{alice.Username}/statuses/{open}");
        var context = note.GetProperty("@context")[1];
        Assert.AreEqual("gts:canQuote", context.GetProperty("canQuote").GetProperty("@id").GetString());
        Assert.AreEqual("https://w3id.org/fep/044f#QuoteRequest", context.GetProperty("QuoteRequest").GetString());

        var (_, otherToken) = await AccountAsync("quotablereader");
        var (_, shown) = await GetAsync($"/api/v1/statuses/{closed}", otherToken);
        Assert.AreEqual(0, shown.GetProperty("quote_approval").GetProperty("automatic").GetArrayLength());
        Assert.AreEqual("denied", shown.GetProperty("quote_approval").GetProperty("current_user").GetString());
        var (_, ownShown) = await GetAsync($"/api/v1/statuses/{closed}", token);
        Assert.AreEqual("automatic", ownShown.GetProperty("quote_approval").GetProperty("current_user").GetString(), "the author may always quote itself (Mastodon 4.5)");
        var (_, followersShown) = await GetAsync($"/api/v1/statuses/{followers}", otherToken);
        Assert.AreEqual("denied", followersShown.GetProperty("quote_approval").GetProperty("current_user").GetString(), "not a follower");
        var (_, privateShown) = await GetAsync($"/api/v1/statuses/{@private}", token);
        Assert.AreEqual(0, privateShown.GetProperty("quote_approval").GetProperty("automatic").GetArrayLength(), "followers-only posts are never quotable by others");
        var (invalid, _) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, Json(new { status = "x", quote_approval_policy = "everyone" }));
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, invalid);
    }

    [TestMethod]
    public async Task A_quote_request_is_accepted_with_an_authorization_that_can_be_fetched_then_revoked()
    {
        var (alice, token) = await AccountAsync("quoted");
        var (_, otherToken) = await AccountAsync("notquoted");
        var post = await PostAsync(token, "Our statement on the new rules.");
        var quoter = Peer.AddActor("quoter" + Next());
        var quoteUri = $"{quoter.Id}/statuses/{Next()}";

        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", QuoteRequest(quoter, StatusUri(alice, post), QuoteNote(quoteUri, quoter.Id, StatusUri(alice, post))), quoter)).StatusCode);
        var accept = await ReceivedAsync(quoter, "Accept");
        Assert.AreEqual(ActorUri(alice), (string?)accept["actor"]);
        Assert.AreEqual("QuoteRequest", (string?)accept["object"]!["type"]);
        Assert.AreEqual(quoteUri, (string?)accept["object"]!["instrument"]);
        var authorizationUri = (string)accept["result"]!;
        StringAssert.StartsWith(authorizationUri, StatusUri(alice, post) + "/quote_authorizations/");

        var authorization = await GetJsonAsync(new Uri(authorizationUri).AbsolutePath);
        Assert.AreEqual("QuoteAuthorization", authorization.GetProperty("type").GetString());
        Assert.AreEqual(ActorUri(alice), authorization.GetProperty("attributedTo").GetString());
        Assert.AreEqual(quoteUri, authorization.GetProperty("interactingObject").GetString());
        Assert.AreEqual(StatusUri(alice, post), authorization.GetProperty("interactionTarget").GetString());
        Assert.AreEqual(authorizationUri, authorization.GetProperty("id").GetString());

        var (_, shown) = await GetAsync($"/api/v1/statuses/{post}", token);
        Assert.AreEqual(1, shown.GetProperty("quotes_count").GetInt64());
        var (listed, quotes) = await GetAsync($"/api/v1/statuses/{post}/quotes", token);
        Assert.AreEqual(HttpStatusCode.OK, listed);
        var quote = quotes.EnumerateArray().Single();
        Assert.AreEqual(quoteUri, quote.GetProperty("uri").GetString());
        Assert.AreEqual("accepted", quote.GetProperty("quote").GetProperty("state").GetString());
        Assert.AreEqual(post, quote.GetProperty("quote").GetProperty("quoted_status").GetProperty("id").GetString());
        await Eventually.TrueAsync(async () => (await GetAsync("/api/v1/notifications", token)).Body.EnumerateArray()
            .Any(n => n.GetProperty("type").GetString() == "quote" && n.GetProperty("status").GetProperty("id").GetString() == quote.GetProperty("id").GetString()), "the quote notification");

        // Another account can neither list nor revoke the quotes of alice's status.
        var quoteId = quote.GetProperty("id").GetString();
        Assert.AreEqual(HttpStatusCode.NotFound, (await GetAsync($"/api/v1/statuses/{post}/quotes", otherToken)).Status);
        var (refused, error) = await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{post}/quotes/{quoteId}/revoke", otherToken);
        Assert.AreEqual(HttpStatusCode.NotFound, refused);
        Assert.AreEqual("Record not found", error.GetProperty("error").GetString());
        Assert.AreEqual(HttpStatusCode.OK, (await GetActivityAsync(new Uri(authorizationUri).AbsolutePath)).Status, "still authorized");

        var (revoked, revokedQuote) = await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{post}/quotes/{quoteId}/revoke", token);
        Assert.AreEqual(HttpStatusCode.OK, revoked, revokedQuote.ToString());
        Assert.AreEqual("revoked", revokedQuote.GetProperty("quote").GetProperty("state").GetString());
        var delete = await ReceivedAsync(quoter, "Delete");
        Assert.AreEqual(authorizationUri, (string?)delete["object"], "the Delete names the authorization only");
        Assert.AreEqual(HttpStatusCode.NotFound, (await GetActivityAsync(new Uri(authorizationUri).AbsolutePath)).Status);
        Assert.AreEqual(0, (await GetAsync($"/api/v1/statuses/{post}", token)).Body.GetProperty("quotes_count").GetInt64());
        Assert.AreEqual(0, (await GetAsync($"/api/v1/statuses/{post}/quotes", token)).Body.GetArrayLength());
    }

    [TestMethod]
    public async Task Deleting_a_quoted_status_revokes_its_authorizations()
    {
        var (alice, token) = await AccountAsync("deletesquoted");
        var post = await PostAsync(token, "To be withdrawn.");
        var quoter = Peer.AddActor("quoter" + Next());
        var quoteUri = $"{quoter.Id}/statuses/{Next()}";
        await PostSignedAsync("/inbox", QuoteRequest(quoter, StatusUri(alice, post), QuoteNote(quoteUri, quoter.Id, StatusUri(alice, post))), quoter);
        var authorizationUri = (string)(await ReceivedAsync(quoter, "Accept"))["result"]!;

        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Delete, $"/api/v1/statuses/{post}", token)).Status);
        var delete = await ReceivedAsync(quoter, "Delete");
        Assert.AreEqual(authorizationUri, (string?)delete["object"]);
        Assert.AreEqual(HttpStatusCode.NotFound, (await GetActivityAsync(new Uri(authorizationUri).AbsolutePath)).Status);
    }

    [TestMethod]
    public async Task Requests_to_quote_a_hidden_missing_or_unquotable_status_are_rejected_alike()
    {
        var (alice, token) = await AccountAsync("guarded");
        var hidden = await PostWithAsync(token, new { status = "For followers: the secret plan.", visibility = "private" });
        var closed = await PostWithAsync(token, new { status = "Not for quoting.", quote_approval_policy = "nobody" });
        var missing = StatusUri(alice, "100000000000000001");
        var quoter = Peer.AddActor("prober" + Next());

        foreach (var target in new[] { StatusUri(alice, hidden), StatusUri(alice, closed), missing })
        {
            var quoteUri = $"{quoter.Id}/statuses/{Next()}";
            await PostSignedAsync("/inbox", QuoteRequest(quoter, target, QuoteNote(quoteUri, quoter.Id, target)), quoter);
            var reject = await ReceivedAsync(quoter, "Reject", a => (string?)a["object"]?["instrument"] == quoteUri);
            Assert.AreEqual(ActorUri(alice), (string?)reject["actor"]);
            Assert.IsNull(reject["result"]);
            Assert.IsFalse(reject.ToJsonString().Contains("secret plan", StringComparison.Ordinal), "a Reject reveals nothing of the status");
        }

        await WaitUntilQuietAsync();
        Assert.IsFalse(Peer.PostsTo(quoter.InboxPath).Any(p => JsonNode.Parse(p.BodyText)!["type"]?.GetValue<string>() == "Accept"));
        Assert.AreEqual(0, (await GetAsync($"/api/v1/statuses/{closed}", token)).Body.GetProperty("quotes_count").GetInt64());
    }

    [TestMethod]
    public async Task A_quote_request_for_someone_elses_quote_is_ignored()
    {
        var (alice, token) = await AccountAsync("impersonated");
        var post = await PostAsync(token, "Quote me properly.");
        var mallory = Peer.AddActor("mallory" + Next());
        var victim = Peer.AddActor("victim" + Next());
        var quoteUri = $"{victim.Id}/statuses/{Next()}";

        // Signed by mallory, for a quote attributed to (and hosted as) victim's.
        await PostSignedAsync("/inbox", QuoteRequest(mallory, StatusUri(alice, post), QuoteNote(quoteUri, victim.Id, StatusUri(alice, post))), mallory);
        // Signed by mallory, for a quote on mallory's server attributed to victim.
        var forged = $"{mallory.Id}/statuses/{Next()}";
        await PostSignedAsync("/inbox", QuoteRequest(mallory, StatusUri(alice, post), QuoteNote(forged, victim.Id, StatusUri(alice, post))), mallory);
        await WaitUntilQuietAsync();

        Assert.AreEqual(0, Peer.PostsTo(mallory.InboxPath).Count + Peer.PostsTo(victim.InboxPath).Count, "no answer to either");
        Assert.AreEqual(0, (await GetAsync($"/api/v1/statuses/{post}", token)).Body.GetProperty("quotes_count").GetInt64());
        Assert.AreEqual(HttpStatusCode.NotFound, (await GetActivityAsync($"/users/{alice.Username}/statuses/{post}/quote_authorizations/{ServerlessFedi.Storage.StorageKeys.QuoteAuthorizationId(quoteUri)}")).Status);
    }

    [TestMethod]
    public async Task Inbound_quotes_show_only_what_verifies()
    {
        var (alice, token) = await AccountAsync("reader");
        var author = Peer.AddActor("author" + Next());
        var quoter = Peer.AddActor("citer" + Next());

        // A remote status alice was sent, then quotes of it by another actor with authorizations of every kind.
        var quotedUri = $"{author.Id}/statuses/{Next()}";
        var original = Mentioning(Note(quotedUri, author.Id, "<p>The original.</p>"), alice);
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Create(author, original), author)).StatusCode);
        await MentionedAsync(token, quotedUri);

        var validUri = $"{quoter.Id}/statuses/{Next()}";
        var valid = Authorization(author.Id, validUri, quotedUri);
        Peer.Serve(new Uri((string)valid["id"]!).AbsolutePath, valid);
        var wrongAuthorUri = $"{quoter.Id}/statuses/{Next()}";
        var wrongAuthor = Authorization(quoter.Id, wrongAuthorUri, quotedUri);
        Peer.Serve(new Uri((string)wrongAuthor["id"]!).AbsolutePath, wrongAuthor);
        var elsewhereUri = $"{quoter.Id}/statuses/{Next()}";
        var missingUri = $"{quoter.Id}/statuses/{Next()}";

        var cases = new (string Uri, string? Authorization, string State)[]
        {
            (validUri, (string)valid["id"]!, "accepted"),
            (wrongAuthorUri, (string)wrongAuthor["id"]!, "unauthorized"),
            (elsewhereUri, "https://elsewhere.example/authorizations/1", "unauthorized"),
            (missingUri, $"{Peer.BaseUrl}/authorizations/missing", "unauthorized"),
        };
        foreach (var (uri, authorization, state) in cases)
        {
            var quote = Mentioning(QuoteNote(uri, quoter.Id, quotedUri), alice);
            quote["quoteAuthorization"] = authorization;
            await PostSignedAsync("/inbox", Create(quoter, quote), quoter);
            var shown = await MentionedAsync(token, uri);
            Assert.AreEqual(state, shown.GetProperty("quote").GetProperty("state").GetString(), uri);
            Assert.AreEqual(state == "accepted", shown.GetProperty("quote").GetProperty("quoted_status").ValueKind == JsonValueKind.Object, uri);
        }

        // A quote of alice's own status claiming an authorization she never gave: checked against ours, not fetched.
        var post = await PostAsync(token, "Not authorized for anyone yet.");
        var claimUri = $"{quoter.Id}/statuses/{Next()}";
        var claim = Mentioning(QuoteNote(claimUri, quoter.Id, StatusUri(alice, post)), alice);
        claim["quoteAuthorization"] = $"{StatusUri(alice, post)}/quote_authorizations/0123456789abcdef";
        await PostSignedAsync("/inbox", Create(quoter, claim), quoter);
        Assert.AreEqual("pending", (await MentionedAsync(token, claimUri)).GetProperty("quote").GetProperty("state").GetString());
    }

    [TestMethod]
    public async Task Agencies_quote_local_statuses_at_once_and_remote_ones_after_their_author_accepts()
    {
        var (alice, token) = await AccountAsync("quoting");
        var (bob, bobToken) = await AccountAsync("quotedlocal");
        var bobs = await PostAsync(bobToken, "Bob's announcement.");
        var closed = await PostWithAsync(bobToken, new { status = "Bob's private thoughts.", quote_approval_policy = "nobody" });

        var (refused, _) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, Json(new { status = "Quoting the closed one", quoted_status_id = closed }));
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, refused);
        var (missing, _) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, Json(new { status = "Quoting nothing", quoted_status_id = "100000000000000001" }));
        Assert.AreEqual(HttpStatusCode.NotFound, missing);

        var (created, local) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, Json(new { status = "As Bob says:", quoted_status_id = bobs }));
        Assert.AreEqual(HttpStatusCode.OK, created, local.ToString());
        var localId = local.GetProperty("id").GetString()!;
        var (_, shownLocal) = await GetAsync($"/api/v1/statuses/{localId}", token);
        Assert.AreEqual("accepted", shownLocal.GetProperty("quote").GetProperty("state").GetString());
        Assert.AreEqual(bobs, shownLocal.GetProperty("quote").GetProperty("quoted_status").GetProperty("id").GetString());
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/statuses/{bobs}", bobToken)).Body.GetProperty("quotes_count").GetInt64() == 1, "bob's quotes count");
        var note = await GetJsonAsync($"/users/{alice.Username}/statuses/{localId}");
        Assert.AreEqual(StatusUri(bob, bobs), note.GetProperty("quote").GetString());
        Assert.AreEqual(StatusUri(bob, bobs), note.GetProperty("_misskey_quote").GetString());
        var authorizationUri = note.GetProperty("quoteAuthorization").GetString()!;
        Assert.AreEqual(StatusUri(alice, localId), (await GetJsonAsync(new Uri(authorizationUri).AbsolutePath)).GetProperty("interactingObject").GetString());

        // A remote status alice may see: quoted pending, the QuoteRequest goes to its author, whose Accept approves it.
        var author = Peer.AddActor("remoteauthor" + Next());
        var remoteUri = $"{author.Id}/statuses/{Next()}";
        await PostSignedAsync("/inbox", Create(author, Quotable(Mentioning(Note(remoteUri, author.Id, "<p>Remote words.</p>"), alice))), author);
        var remote = await MentionedAsync(token, remoteUri);
        var (quotedRemotely, pending) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, Json(new { status = "Worth reading:", quoted_status_id = remote.GetProperty("id").GetString() }));
        Assert.AreEqual(HttpStatusCode.OK, quotedRemotely, pending.ToString());
        Assert.AreEqual("pending", pending.GetProperty("quote").GetProperty("state").GetString());
        var ours = StatusUri(alice, pending.GetProperty("id").GetString()!);
        var request = await ReceivedAsync(author, "QuoteRequest");
        Assert.AreEqual(remoteUri, (string?)request["object"]);
        Assert.AreEqual(ours, (string?)request["instrument"]!["id"]);
        Assert.AreEqual(remoteUri, (string?)request["instrument"]!["quote"]);

        var accept = Activity(author, "Accept", null);
        accept["object"] = JsonNode.Parse(request.ToJsonString());
        accept["object"]!.AsObject().Remove("@context");
        accept["result"] = $"{author.Id}/authorizations/{Next()}";
        // Someone else cannot answer for the author.
        var impostor = Peer.AddActor("impostor" + Next());
        var forged = Activity(impostor, "Accept", null);
        forged["object"] = accept["object"]!.DeepClone();
        forged["result"] = $"{impostor.Id}/authorizations/{Next()}";
        await PostSignedAsync($"/users/{alice.Username}/inbox", forged, impostor);
        await WaitUntilQuietAsync();
        Assert.AreEqual("pending", (await GetAsync($"/api/v1/statuses/{pending.GetProperty("id").GetString()}", token)).Body.GetProperty("quote").GetProperty("state").GetString());

        await PostSignedAsync($"/users/{alice.Username}/inbox", accept, author);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/statuses/{pending.GetProperty("id").GetString()}", token)).Body.GetProperty("quote").GetProperty("state").GetString() == "accepted", "the quote accepted");
        Assert.AreEqual((string?)accept["result"], (await GetJsonAsync(new Uri(ours).AbsolutePath)).GetProperty("quoteAuthorization").GetString());
    }

    private static JsonObject Mentioning(JsonObject note, LocalAccount account)
    {
        note["cc"] = new JsonArray(ActorUri(account));
        note["tag"] = new JsonArray(new JsonObject { ["type"] = "Mention", ["href"] = ActorUri(account), ["name"] = $"@{account.Username}" });
        return note;
    }

    private static JsonObject Authorization(string attributedTo, string quote, string quoted) => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = $"{Peer.BaseUrl}/authorizations/{Next()}",
        ["type"] = "QuoteAuthorization",
        ["attributedTo"] = attributedTo,
        ["interactingObject"] = quote,
        ["interactionTarget"] = quoted,
    };

    /// <summary>The status <paramref name="uri"/> as the mention notification shows it to the mentioned account.</summary>
    private static async Task<JsonElement> MentionedAsync(string token, string uri)
    {
        var notification = await Eventually.ValueAsync(
            async () => (await GetAsync("/api/v1/notifications", token)).Body.EnumerateArray().Where(n => n.GetProperty("status").ValueKind == JsonValueKind.Object && n.GetProperty("status").GetProperty("uri").GetString() == uri).Select(n => (JsonElement?)n).FirstOrDefault(),
            n => n is not null,
            $"the mention of {uri}");
        return notification!.Value.GetProperty("status");
    }

    private static async Task<string> PostWithAsync(string token, object body)
    {
        var (status, created) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, Json(body));
        Assert.AreEqual(HttpStatusCode.OK, status, created.ToString());
        return created.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> CanQuoteAsync(LocalAccount author, string id) =>
        (await GetJsonAsync($"/users/{author.Username}/statuses/{id}")).GetProperty("interactionPolicy").GetProperty("canQuote").GetProperty("automaticApproval");

    private static JsonObject QuoteNote(string id, string author, string quoted)
    {
        var note = Note(id, author, $"<p>Look at this</p><p class=\"quote-inline\">RE: {quoted}</p>");
        note["quote"] = quoted;
        return note;
    }

    private static JsonObject QuoteRequest(PeerActor actor, string quoted, JsonObject quote)
    {
        var request = Activity(actor, "QuoteRequest", quoted);
        request["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", new JsonObject { ["QuoteRequest"] = "https://w3id.org/fep/044f#QuoteRequest" });
        request["instrument"] = quote;
        return request;
    }

    private static async Task<JsonNode> ReceivedAsync(PeerActor actor, string type, Func<JsonNode, bool>? match = null) =>
        (await MastodonApi.ApiTestClient.ReceivedAsync(Peer, actor.InboxPath, type, match ?? (_ => true), $"the {type} at {actor.Id}"))!;
}
