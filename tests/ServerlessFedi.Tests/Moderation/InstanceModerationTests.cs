using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Federation;
using ServerlessFedi.Moderation;
using ServerlessFedi.Tests.Federation;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.MastodonApi;

namespace ServerlessFedi.Tests.Moderation;

/// <summary>
/// The operator's domain blocks and account actions against a hostile <see cref="FakePeer"/>, through the running
/// instance. The peer shares the instance's host (127.0.0.1), so its blocks name its port (<c>127.0.0.1:port</c>); the
/// blocks are made in the instance's own process, which applies them at once (another process within 30 s).
/// </summary>
[TestClass]
public sealed class InstanceModerationTests : FederationTest<InstanceModerationTests>
{
    private static ModerationService Moderation => Instance.Services.GetRequiredService<ModerationService>();

    private static string PeerDomain => new Uri(Peer.BaseUrl).Authority;

    [TestMethod]
    public async Task A_suspended_domain_s_Follow_is_refused_with_403_before_its_key_is_fetched_and_is_accepted_after_unblocking()
    {
        var (alice, token) = await AccountAsync("dbfollowed");
        var evil = Peer.AddActor("evil" + Next());
        var sentBefore = Peer.PostsTo("/inbox").Count;
        Assert.IsTrue((await Moderation.BlockDomainAsync(PeerDomain, DomainSeverity.Suspend, false, false, "Harassment", CancellationToken.None)).Succeeded);
        try
        {
            var personal = await PostSignedAsync($"/users/{alice.Username}/inbox", Activity(evil, "Follow", ActorUri(alice)), evil);
            var shared = await PostSignedAsync("/inbox", Activity(evil, "Follow", ActorUri(alice)), evil);

            Assert.AreEqual(HttpStatusCode.Forbidden, personal.StatusCode);
            Assert.AreEqual(HttpStatusCode.Forbidden, shared.StatusCode);
            StringAssert.Contains(await personal.Content.ReadAsStringAsync(), "\"error\"");
            await WaitUntilQuietAsync();
            Assert.IsEmpty(Peer.GetsOf(new Uri(evil.Id).AbsolutePath), "the blocked server's key is never fetched");
            Assert.AreEqual(0L, await FollowersCountAsync(alice.Username));
            Assert.HasCount(sentBefore, Peer.PostsTo("/inbox"), "no Accept goes to a suspended server");
        }
        finally
        {
            Assert.IsTrue(await Moderation.UnblockDomainAsync(PeerDomain, CancellationToken.None));
        }

        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync($"/users/{alice.Username}/inbox", Activity(evil, "Follow", ActorUri(alice)), evil)).StatusCode);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/accounts/{alice.Id}", token)).Body.GetProperty("followers_count").GetInt32() == 1, "the follow after unblocking");
    }

    [TestMethod]
    public async Task Suspending_a_domain_severs_its_follows_hides_its_statuses_and_stops_lookups_and_deliveries_and_unblocking_shows_them_again()
    {
        var (alice, token) = await AccountAsync("dbsevered");
        var post = await PostAsync(token, "Consultation opens today.");
        var troll = Peer.AddActor("troll" + Next());
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync($"/users/{alice.Username}/inbox", Activity(troll, "Follow", ActorUri(alice)), troll)).StatusCode);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/accounts/{alice.Id}", token)).Body.GetProperty("followers_count").GetInt32() == 1, "troll following");
        var reply = Note($"{troll.Id}/statuses/{Next()}", troll.Id, "<p>Nonsense.</p>");
        reply["inReplyTo"] = StatusUri(alice, post);
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Create(troll, reply), troll)).StatusCode);
        var replyId = (await Eventually.ValueAsync(() => DescendantsAsync(post, token), d => d.Count == 1, "the reply stored"))[0];
        var search = $"/api/v2/search?type=accounts&resolve=true&q={Uri.EscapeDataString(troll.Id)}";
        Assert.AreEqual(1, (await GetAsync(search, token)).Body.GetProperty("accounts").GetArrayLength());
        Assert.Contains(replyId, await PublicRemoteAsync(token));

        var result = await Moderation.BlockDomainAsync(PeerDomain, DomainSeverity.Suspend, false, false, null, CancellationToken.None);
        try
        {
            Assert.IsTrue(result.SeveranceQueued);
            await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/accounts/{alice.Id}", token)).Body.GetProperty("followers_count").GetInt32() == 0, "the queued severing");
            Assert.IsEmpty(await DescendantsAsync(post, token));
            Assert.AreEqual(HttpStatusCode.NotFound, (await GetAsync($"/api/v1/statuses/{replyId}", token)).Status);
            Assert.DoesNotContain(replyId, await PublicRemoteAsync(token));
            Assert.AreEqual(0, (await GetAsync(search, token)).Body.GetProperty("accounts").GetArrayLength());

            // A delivery already queued for the server is dropped, never sent.
            var before = Peer.PostsTo("/inbox").Count;
            await Instance.Services.GetRequiredService<WorkQueue>().SendDeliveryAsync(
                new DeliveryMessage(alice.Id, Peer.BaseUrl + "/inbox", "{\"type\":\"Create\",\"id\":\"" + StatusUri(alice, post) + "/activity\"}", null, 1, DateTimeOffset.UtcNow), null, CancellationToken.None);
            await WaitUntilQuietAsync();
            Assert.HasCount(before, Peer.PostsTo("/inbox"));
        }
        finally
        {
            Assert.IsTrue(await Moderation.UnblockDomainAsync(PeerDomain, CancellationToken.None));
        }

        // Statuses were hidden, not deleted; severed follows stay severed (as in Mastodon).
        CollectionAssert.AreEqual(new[] { replyId }, (await DescendantsAsync(post, token)).ToArray());
        Assert.AreEqual(0, (await GetAsync($"/api/v1/accounts/{alice.Id}", token)).Body.GetProperty("followers_count").GetInt32());
    }

    [TestMethod]
    public async Task A_silenced_domain_stays_in_threads_but_out_of_public_timelines_and_its_media_is_a_link_when_rejected()
    {
        var (alice, token) = await AccountAsync("dbsilenced");
        var post = await PostAsync(token, "Results are in.");
        var loud = Peer.AddActor("loud" + Next());
        var reply = Note($"{loud.Id}/statuses/{Next()}", loud.Id, "<p>Look!</p>");
        reply["inReplyTo"] = StatusUri(alice, post);
        reply["attachment"] = new JsonArray(new JsonObject { ["type"] = "Document", ["mediaType"] = "image/png", ["url"] = Peer.BaseUrl + "/media/x.png", ["name"] = "a chart" });
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Create(loud, reply), loud)).StatusCode);
        var replyId = (await Eventually.ValueAsync(() => DescendantsAsync(post, token), d => d.Count == 1, "the reply stored"))[0];

        Assert.IsTrue((await Moderation.BlockDomainAsync(PeerDomain, DomainSeverity.Silence, true, false, null, CancellationToken.None)).Succeeded);
        try
        {
            Assert.DoesNotContain(replyId, await PublicRemoteAsync(token));
            var shown = await GetAsync($"/api/v1/statuses/{replyId}", token);
            Assert.AreEqual(HttpStatusCode.OK, shown.Status);
            var media = shown.Body.GetProperty("media_attachments")[0];
            Assert.AreEqual("unknown", media.GetProperty("type").GetString());
            Assert.AreEqual(Peer.BaseUrl + "/media/x.png", media.GetProperty("url").GetString());
            Assert.AreEqual(JsonValueKind.Null, media.GetProperty("preview_url").ValueKind);
        }
        finally
        {
            Assert.IsTrue(await Moderation.UnblockDomainAsync(PeerDomain, CancellationToken.None));
        }

        Assert.Contains(replyId, await PublicRemoteAsync(token));
        Assert.AreEqual("image", (await GetAsync($"/api/v1/statuses/{replyId}", token)).Body.GetProperty("media_attachments")[0].GetProperty("type").GetString());
    }

    [TestMethod]
    public async Task A_suspended_account_is_refused_with_403_and_loses_its_follows_and_a_rejected_server_s_reports_are_ignored()
    {
        var (alice, token) = await AccountAsync("dbaccount");
        var spammer = Peer.AddActor("spammer" + Next());
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync($"/users/{alice.Username}/inbox", Activity(spammer, "Follow", ActorUri(alice)), spammer)).StatusCode);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/accounts/{alice.Id}", token)).Body.GetProperty("followers_count").GetInt32() == 1, "spammer following");

        var result = await Moderation.ActOnAccountAsync(spammer.Id, "spammer@peer", DomainSeverity.Suspend, CancellationToken.None);
        try
        {
            Assert.IsTrue(result.SeveranceQueued);
            Assert.AreEqual(HttpStatusCode.Forbidden, (await PostSignedAsync($"/users/{alice.Username}/inbox", Activity(spammer, "Follow", ActorUri(alice)), spammer)).StatusCode);
            await WaitUntilQuietAsync();
            Assert.AreEqual(0, (await GetAsync($"/api/v1/accounts/{alice.Id}", token)).Body.GetProperty("followers_count").GetInt32());
        }
        finally
        {
            Assert.IsTrue(await Moderation.LiftAccountActionAsync(spammer.Id, CancellationToken.None));
        }

        // A server blocked with reject_reports (and no other limit) reports nothing; its Follow still counts.
        Assert.IsTrue((await Moderation.BlockDomainAsync(PeerDomain, DomainSeverity.Noop, false, true, null, CancellationToken.None)).Succeeded);
        try
        {
            var flag = Activity(spammer, "Flag", null);
            flag["object"] = new JsonArray(ActorUri(alice));
            flag["content"] = "Retaliation";
            Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", flag, spammer)).StatusCode);
            Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync($"/users/{alice.Username}/inbox", Activity(spammer, "Follow", ActorUri(alice)), spammer)).StatusCode);
            await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/accounts/{alice.Id}", token)).Body.GetProperty("followers_count").GetInt32() == 1, "the follow after lifting");
            await WaitUntilQuietAsync();
            var reports = await Instance.Services.GetRequiredService<ReportStore>().ListAsync(100, CancellationToken.None);
            Assert.IsFalse(reports.Any(r => r.ReporterActorId == spammer.Id), "the rejected report was recorded");
        }
        finally
        {
            Assert.IsTrue(await Moderation.UnblockDomainAsync(PeerDomain, CancellationToken.None));
        }
    }

    [TestMethod]
    public async Task A_suspended_remote_account_is_shown_suspended_with_its_profile_blanked_and_a_silenced_one_limited()
    {
        var (_, token) = await AccountAsync("viewer");
        var shady = Peer.AddActor("shady" + Next());
        var id = RemoteAccountIds.For(shady.Id);
        await PostSignedAsync("/inbox", Activity(shady, "Like", $"{Instance.BaseUrl}/users/nobody/statuses/1"), shady);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/accounts/{id}", token)).Status == HttpStatusCode.OK, "the account becoming known");
        var before = (await GetAsync($"/api/v1/accounts/{id}", token)).Body;
        Assert.IsFalse(before.TryGetProperty("suspended", out _));
        Assert.IsFalse(before.TryGetProperty("limited", out _));

        Assert.IsTrue((await Moderation.ActOnAccountAsync(shady.Id, "shady@peer", DomainSeverity.Silence, CancellationToken.None)).Succeeded);
        var silenced = (await GetAsync($"/api/v1/accounts/{id}", token)).Body;
        Assert.IsTrue(silenced.GetProperty("limited").GetBoolean());
        Assert.AreEqual(before.GetProperty("display_name").GetString(), silenced.GetProperty("display_name").GetString());

        Assert.IsTrue((await Moderation.ActOnAccountAsync(shady.Id, "shady@peer", DomainSeverity.Suspend, CancellationToken.None)).Succeeded);
        try
        {
            var (status, suspended) = await GetAsync($"/api/v1/accounts/{id}", token);
            Assert.AreEqual(HttpStatusCode.OK, status, "Mastodon answers a suspended account, marked");
            Assert.IsTrue(suspended.GetProperty("suspended").GetBoolean());
            Assert.AreEqual("", suspended.GetProperty("display_name").GetString());
            Assert.AreEqual("", suspended.GetProperty("note").GetString());
            Assert.AreEqual(0, suspended.GetProperty("fields").GetArrayLength());
            StringAssert.EndsWith(suspended.GetProperty("avatar").GetString(), "/avatars/original/missing.png");
            Assert.AreEqual(before.GetProperty("acct").GetString(), suspended.GetProperty("acct").GetString());
        }
        finally
        {
            Assert.IsTrue(await Moderation.LiftAccountActionAsync(shady.Id, CancellationToken.None));
        }

        Assert.IsFalse((await GetAsync($"/api/v1/accounts/{id}", token)).Body.TryGetProperty("suspended", out _));
    }

    [TestMethod]
    public async Task A_silenced_account_s_notifications_reach_only_accounts_that_follow_it()
    {
        var (alice, token) = await AccountAsync("quietened");
        var post = await PostAsync(token, "Open data release.");
        var stranger = Peer.AddActor("loudstranger" + Next());
        var friend = Peer.AddActor("loudfriend" + Next());
        await FollowRemoteAsync(alice, token, friend);
        Assert.IsTrue((await Moderation.ActOnAccountAsync(stranger.Id, "loudstranger@peer", DomainSeverity.Silence, CancellationToken.None)).Succeeded);
        Assert.IsTrue((await Moderation.ActOnAccountAsync(friend.Id, "loudfriend@peer", DomainSeverity.Silence, CancellationToken.None)).Succeeded);
        try
        {
            Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Activity(stranger, "Like", StatusUri(alice, post)), stranger)).StatusCode);
            Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Activity(friend, "Like", StatusUri(alice, post)), friend)).StatusCode);
            await WaitUntilQuietAsync();

            var favourites = (await GetAsync("/api/v1/notifications?types[]=favourite", token)).Body.EnumerateArray()
                .Select(n => n.GetProperty("account").GetProperty("uri").GetString()).ToArray();
            CollectionAssert.AreEqual(new[] { friend.Id }, favourites, "the silenced stranger's favourite is dropped, the followed one's kept");
            Assert.AreEqual(2, (await GetAsync($"/api/v1/statuses/{post}", token)).Body.GetProperty("favourites_count").GetInt32(), "the favourites themselves count");
        }
        finally
        {
            await Moderation.LiftAccountActionAsync(stranger.Id, CancellationToken.None);
            await Moderation.LiftAccountActionAsync(friend.Id, CancellationToken.None);
        }
    }

    [TestMethod]
    public async Task The_operator_removes_a_remote_status_but_not_a_local_one()
    {
        var (alice, token) = await AccountAsync("dbremoved");
        var post = await PostAsync(token, "Open data portal launched.");
        var author = Peer.AddActor("author" + Next());
        var reply = Note($"{author.Id}/statuses/{Next()}", author.Id, "<p>Illegal content.</p>");
        reply["inReplyTo"] = StatusUri(alice, post);
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Create(author, reply), author)).StatusCode);
        await Eventually.ValueAsync(() => DescendantsAsync(post, token), d => d.Count == 1, "the reply stored");

        Assert.IsTrue((await Moderation.RemoveStatusAsync((string)reply["id"]!, CancellationToken.None)).Succeeded);
        Assert.IsFalse((await Moderation.RemoveStatusAsync(post, CancellationToken.None)).Succeeded);
        Assert.IsFalse((await Moderation.RemoveStatusAsync("https://nowhere.example/statuses/1", CancellationToken.None)).Succeeded);

        Assert.IsEmpty(await DescendantsAsync(post, token));
        Assert.AreEqual(0, (await GetAsync($"/api/v1/statuses/{post}", token)).Body.GetProperty("replies_count").GetInt32());
        Assert.AreEqual(HttpStatusCode.OK, (await GetAsync($"/api/v1/statuses/{post}", token)).Status);
    }

    [TestMethod]
    public async Task The_instance_lists_its_domain_blocks_only_as_the_operator_chooses()
    {
        // This class's instance keeps Mastodon's default (disabled): 404.
        Assert.AreEqual(HttpStatusCode.NotFound, (await GetAsync("/api/v1/instance/domain_blocks", null)).Status);

        await using var open = await TestInstance.StartAsync(new Dictionary<string, string?> { ["Fedi:ShowDomainBlocks"] = "all" });
        var moderation = open.Services.GetRequiredService<ModerationService>();
        Assert.IsTrue((await moderation.BlockDomainAsync("Evil.Example", DomainSeverity.Suspend, false, false, "Harassment of our users", CancellationToken.None)).Succeeded);
        Assert.IsTrue((await moderation.BlockDomainAsync("quiet.example", DomainSeverity.Silence, false, false, null, CancellationToken.None)).Succeeded);
        Assert.IsTrue((await moderation.BlockDomainAsync("noop.example", DomainSeverity.Noop, false, true, "reports only", CancellationToken.None)).Succeeded);
        Assert.IsFalse((await moderation.BlockDomainAsync(new Uri(open.BaseUrl).Authority, DomainSeverity.Suspend, false, false, null, CancellationToken.None)).Succeeded, "its own domain");

        var (status, body) = await new ApiTestClient(open).GetAsync("/api/v1/instance/domain_blocks", null);

        Assert.AreEqual(HttpStatusCode.OK, status);
        Assert.AreEqual(2, body.GetArrayLength(), body.ToString());
        var evil = body[0];
        Assert.AreEqual("evil.example", evil.GetProperty("domain").GetString());
        Assert.AreEqual(ServerlessFedi.Storage.StorageKeys.Sha256Hex("evil.example"), evil.GetProperty("digest").GetString());
        Assert.AreEqual("suspend", evil.GetProperty("severity").GetString());
        Assert.AreEqual("Harassment of our users", evil.GetProperty("comment").GetString());
        Assert.AreEqual("silence", body[1].GetProperty("severity").GetString());
        Assert.IsFalse(body[1].TryGetProperty("comment", out _));

        await using var users = await TestInstance.StartAsync(new Dictionary<string, string?> { ["Fedi:ShowDomainBlocks"] = "users" });
        var usersApi = new ApiTestClient(users);
        var (_, userToken) = await usersApi.AccountAsync("reader");
        Assert.AreEqual(HttpStatusCode.NotFound, (await usersApi.GetAsync("/api/v1/instance/domain_blocks", null)).Status);
        Assert.AreEqual(HttpStatusCode.OK, (await usersApi.GetAsync("/api/v1/instance/domain_blocks", userToken)).Status);
    }

    private static async Task<IReadOnlyList<string>> DescendantsAsync(string statusId, string token) =>
        [.. (await GetAsync($"/api/v1/statuses/{statusId}/context", token)).Body.GetProperty("descendants").EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];

    private static async Task<IReadOnlyList<string>> PublicRemoteAsync(string token) =>
        [.. (await GetAsync("/api/v1/timelines/public?remote=true", token)).Body.EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];
}
