using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.OAuth;
using ServerlessFedi.Signatures;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.MastodonApi;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// What remote servers do to local posts and accounts, seen through the client API: replies and mentions, favourites,
/// boosts, follows in both directions, edits, deletions, blocks and reports. The running standalone host applies signed
/// activities from a <see cref="FakePeer"/>; an agency's app reads the outcome with its token.
/// </summary>
[TestClass]
public sealed class SocialFederationTests : FederationTest<SocialFederationTests>
{
    [TestMethod]
    public async Task A_remote_reply_is_stored_counted_threaded_and_notified()
    {
        var (alice, token) = await AccountAsync("replied");
        var post = await PostAsync(token, "What do you think of the new bus lines?");
        var carol = Peer.AddActor("carol" + Next());
        var noteId = $"{carol.Id}/statuses/{Next()}";
        var create = Create(carol, new JsonObject
        {
            ["id"] = noteId,
            ["type"] = "Note",
            ["attributedTo"] = carol.Id,
            ["inReplyTo"] = StatusUri(alice, post),
            ["to"] = new JsonArray(Public),
            ["cc"] = new JsonArray(ActorUri(alice)),
            ["content"] = "<p><span class=\"h-card\"><a href=\"x\" class=\"u-url mention\">@replied</a></span> Great! <script>alert(1)</script><img src=x onerror=alert(1)></p>",
            ["contentMap"] = new JsonObject { ["en"] = "<p>Great!</p>" },
            ["published"] = "2026-11-20T10:00:00Z",
            ["tag"] = new JsonArray(new JsonObject { ["type"] = "Mention", ["href"] = ActorUri(alice), ["name"] = "@replied" }),
        });

        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", create, carol)).StatusCode);
        // The same Create again (a retry by the remote server) has effect once.
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", create, carol)).StatusCode);

        var notifications = await Eventually.ValueAsync(() => GetAsync("/api/v1/notifications", token), n => n.Body.GetArrayLength() > 0, "a mention notification");
        var mention = notifications.Body[0];
        Assert.AreEqual("mention", mention.GetProperty("type").GetString());
        Assert.AreEqual($"{carol.Id.Split('/')[^1]}@{new Uri(carol.Id).Authority}", mention.GetProperty("account").GetProperty("acct").GetString());
        var reply = mention.GetProperty("status");
        Assert.AreEqual(noteId, reply.GetProperty("uri").GetString());
        Assert.AreEqual(post, reply.GetProperty("in_reply_to_id").GetString());
        Assert.AreEqual(alice.Id, reply.GetProperty("in_reply_to_account_id").GetString());
        Assert.AreEqual("en", reply.GetProperty("language").GetString());
        var content = reply.GetProperty("content").GetString()!;
        Assert.DoesNotContain("<script", content);
        Assert.DoesNotContain("onerror", content);
        Assert.DoesNotContain("<img", content);
        StringAssert.Contains(content, "Great!");

        await WaitUntilQuietAsync();
        var original = await GetAsync($"/api/v1/statuses/{post}", token);
        Assert.AreEqual(1, original.Body.GetProperty("replies_count").GetInt32());
        var context = await GetAsync($"/api/v1/statuses/{post}/context", null);
        Assert.AreEqual(HttpStatusCode.OK, context.Status);
        Assert.AreEqual(reply.GetProperty("id").GetString(), context.Body.GetProperty("descendants")[0].GetProperty("id").GetString());
        Assert.AreEqual(1, (await GetAsync("/api/v1/notifications", token)).Body.GetArrayLength(), "the repeated Create notified once");

        // The author's account is known to the API by the id the status names.
        var account = await GetAsync($"/api/v1/accounts/{reply.GetProperty("account").GetProperty("id").GetString()}", token);
        Assert.AreEqual(carol.Id, account.Body.GetProperty("uri").GetString());
    }

    [TestMethod]
    public Task A_post_whose_request_died_after_storing_it_still_reaches_followers_mentions_and_timelines() =>
        PostGuardFinishesThePostAsync("guarded", (alice, id) =>
            Instance.Services.GetRequiredService<WorkQueue>().SendPostGuardAsync(new PostGuardMessage(alice.Id, id), TimeSpan.Zero, CancellationToken.None));

    [TestMethod]
    public Task A_guard_sent_before_guards_had_their_own_message_type_still_finishes_the_post() =>
        PostGuardFinishesThePostAsync("oldguard", async (alice, id) =>
        {
            // The shape an earlier version sent: a fan-out message without an activity, marked completesStatus.
            var fanout = Instance.Services.GetRequiredService<FederationQueues>().Fanout;
            var legacy = $$"""{"senderId":"{{alice.Id}}","page":0,"skipFollowers":false,"statusId":"{{id}}","completesStatus":true}""";
            await Instance.Services.GetRequiredService<StorageAccount>().Queues.GetQueueClient(fanout).SendMessageAsync(legacy);
        });

    [TestMethod]
    public async Task A_guard_records_its_posts_audit_row_once_and_only_when_the_post_was_stored()
    {
        var (alice, _) = await AccountAsync("auditedguard");
        var audits = Instance.Services.GetRequiredService<ServerlessFedi.Team.AuditStore>();
        var ids = Instance.Services.GetRequiredService<SnowflakeIds>();
        var work = Instance.Services.GetRequiredService<WorkQueue>();
        var stored = ids.Next();
        var neverStored = ids.Next();
        await Instance.Services.GetRequiredService<ServerlessFedi.Statuses.StatusStore>().AddAsync(new ServerlessFedi.Statuses.Status
        {
            Id = stored,
            AccountId = alice.Id,
            Text = "Stored, then the request died.",
            ContentHtml = "<p>Stored, then the request died.</p>",
            CreatedAt = DateTimeOffset.UtcNow,
        }, CancellationToken.None);

        // The request died after storing one post (its guard fires, twice as a retried message would) and before storing the other.
        var storedRow = audits.Prepare(alice.Id, null, "app", "POST /api/v1/statuses", stored);
        await work.SendPostGuardAsync(new PostGuardMessage(alice.Id, stored, Audit: storedRow), TimeSpan.Zero, CancellationToken.None);
        await work.SendPostGuardAsync(new PostGuardMessage(alice.Id, stored, Audit: storedRow), TimeSpan.Zero, CancellationToken.None);
        await work.SendPostGuardAsync(new PostGuardMessage(alice.Id, neverStored, Audit: audits.Prepare(alice.Id, null, "app", "POST /api/v1/statuses", neverStored)), TimeSpan.Zero, CancellationToken.None);
        await WaitUntilQuietAsync();

        var rows = new List<ServerlessFedi.Team.AuditEntry>();
        await foreach (var row in audits.ListAsync(alice.Id))
        {
            rows.Add(row);
        }

        Assert.AreEqual(stored, rows.Single().ObjectId, "one row, for the stored post only: " + string.Join(", ", rows.Select(r => r.ObjectId)));
        Assert.AreEqual(storedRow.Entry.Id, rows[0].Id, "the row the request prepared");
    }

    /// <summary>What a request leaves when its process dies right after storing the post; <paramref name="sendGuard"/> stands in for the guard becoming visible.</summary>
    private static async Task PostGuardFinishesThePostAsync(string username, Func<LocalAccount, string, Task> sendGuard)
    {
        var (alice, token) = await AccountAsync(username);
        var (bob, bobToken) = await AccountAsync(username + "m");
        var gus = Peer.AddActor("gus" + Next());
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync($"/users/{alice.Username}/inbox", Activity(gus, "Follow", ActorUri(alice)), gus)).StatusCode);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/accounts/{alice.Id}", token)).Body.GetProperty("followers_count").GetInt32() == 1, "gus following");

        // What a request leaves when its process dies right after storing the post: the row, and the guard it sent first
        // (sent here without its delay, standing in for the five minutes passing).
        var id = Instance.Services.GetRequiredService<SnowflakeIds>().Next();
        await Instance.Services.GetRequiredService<ServerlessFedi.Statuses.StatusStore>().AddAsync(new ServerlessFedi.Statuses.Status
        {
            Id = id,
            AccountId = alice.Id,
            Text = $"@{bob.Username} Our statement. #guarded",
            ContentHtml = "<p>Our statement.</p>",
            Mentions = [new ServerlessFedi.Statuses.StatusMention(bob.Username, null, ActorUri(bob), $"{Instance.BaseUrl}/@{bob.Username}", null, bob.Id)],
            Tags = ["guarded"],
            CreatedAt = DateTimeOffset.UtcNow,
        }, CancellationToken.None);
        await sendGuard(alice, id);

        var create = await Eventually.ValueAsync(() => Task.FromResult(Peer.PostsTo("/inbox").Select(p => JsonNode.Parse(p.BodyText)!).FirstOrDefault(a => (string?)a["type"] == "Create" && (string?)a["object"]?["id"] == StatusUri(alice, id))),
            c => c is not null, "the Create reaching gus");
        Assert.AreEqual(ActorUri(alice), (string?)create!["actor"]);
        await Eventually.TrueAsync(async () => (await GetAsync("/api/v1/notifications", bobToken)).Body.EnumerateArray().Any(n => n.GetProperty("type").GetString() == "mention" && n.GetProperty("status").GetProperty("id").GetString() == id), "bob's mention");
        Assert.IsTrue((await GetAsync("/api/v1/timelines/home", token)).Body.EnumerateArray().Any(s => s.GetProperty("id").GetString() == id), "alice's home");
        Assert.IsTrue((await GetAsync("/api/v1/timelines/tag/guarded", token)).Body.EnumerateArray().Any(s => s.GetProperty("id").GetString() == id), "the hashtag timeline");

        // A post whose request completes turns its guard into its fan-out: nothing is left waiting in the queues.
        await PostAsync(token, "Released.");
        await WaitUntilQuietAsync();
        Assert.AreEqual(0, await QueuedAsync(), "the guard of a completed post became its fan-out, processed and gone");
    }

    [TestMethod]
    public async Task Likes_and_boosts_count_notify_and_undo()
    {
        var (alice, token) = await AccountAsync("liked");
        var post = await PostAsync(token, "Office hours change on Monday.");
        var dan = Peer.AddActor("dan" + Next());
        var like = Activity(dan, "Like", StatusUri(alice, post));
        var announce = Activity(dan, "Announce", StatusUri(alice, post));
        announce["to"] = new JsonArray(Public);

        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", like, dan)).StatusCode);
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", announce, dan)).StatusCode);
        var status = await Eventually.ValueAsync(() => GetAsync($"/api/v1/statuses/{post}", token),
            s => s.Body.GetProperty("favourites_count").GetInt32() == 1 && s.Body.GetProperty("reblogs_count").GetInt32() == 1, "counts of 1 and 1");
        Assert.IsFalse(status.Body.GetProperty("favourited").GetBoolean(), "alice did not favourite it herself");

        var types = (await GetAsync("/api/v1/notifications", token)).Body.EnumerateArray().Select(n => n.GetProperty("type").GetString()).Order().ToArray();
        CollectionAssert.AreEqual(new[] { "favourite", "reblog" }, types);
        var favouritedBy = await GetAsync($"/api/v1/statuses/{post}/favourited_by", null);
        Assert.AreEqual(dan.Id, favouritedBy.Body[0].GetProperty("uri").GetString());
        var excluded = await GetAsync("/api/v1/notifications?exclude_types[]=favourite", token);
        Assert.AreEqual("reblog", excluded.Body.EnumerateArray().Single().GetProperty("type").GetString());

        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Undo(dan, like), dan)).StatusCode);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/statuses/{post}", token)).Body.GetProperty("favourites_count").GetInt32() == 0, "the Undo taking the favourite back");
    }

    [TestMethod]
    public async Task Following_a_remote_account_sends_Follow_and_its_posts_reach_the_home_timeline_after_Accept()
    {
        var (alice, token) = await AccountAsync("follower");
        var erin = Peer.AddActor("erin" + Next());
        var erinId = RemoteAccountIds.For(erin.Id);

        // The app finds the account by its handle first (WebFinger is not served by the fake peer, so prime the cache by a signed activity).
        await PostSignedAsync("/inbox", Activity(erin, "Like", $"{Instance.BaseUrl}/users/nobody/statuses/1"), erin);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/accounts/{erinId}", token)).Status == HttpStatusCode.OK, "erin becoming known");

        var rel = await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{erinId}/follow", token);
        Assert.AreEqual(HttpStatusCode.OK, rel.Status, rel.Body.ToString());
        Assert.IsTrue(rel.Body.GetProperty("requested").GetBoolean());
        Assert.IsFalse(rel.Body.GetProperty("following").GetBoolean());
        var follow = await Eventually.ValueAsync(() => Task.FromResult(Peer.PostsTo(erin.InboxPath).Select(p => JsonNode.Parse(p.BodyText)!).FirstOrDefault(a => (string?)a["type"] == "Follow")),
            f => f is not null, "the Follow reaching erin's inbox");
        Assert.AreEqual(ActorUri(alice), (string?)follow!["actor"]);
        Assert.AreEqual(erin.Id, (string?)follow["object"]);

        var accept = Activity(erin, "Accept", null);
        accept["object"] = JsonNode.Parse(follow.ToJsonString());
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync($"/users/{alice.Username}/inbox", accept, erin)).StatusCode);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/accounts/relationships?id[]={erinId}", token)).Body[0].GetProperty("following").GetBoolean(), "the Accept making the follow real");
        Assert.AreEqual(1, (await GetAsync($"/api/v1/accounts/{alice.Id}", token)).Body.GetProperty("following_count").GetInt32());
        var erinFollowers = await GetAsync($"/api/v1/accounts/{erinId}/followers", token);
        Assert.AreEqual(alice.Id, erinFollowers.Body.EnumerateArray().Single().GetProperty("id").GetString(), "a remote account's followers known here");
        Assert.AreEqual(erinId, (await GetAsync($"/api/v1/accounts/{alice.Id}/following", token)).Body.EnumerateArray().Single().GetProperty("id").GetString());

        var noteId = $"{erin.Id}/statuses/{Next()}";
        var create = Create(erin, new JsonObject
        {
            ["id"] = noteId,
            ["type"] = "Note",
            ["attributedTo"] = erin.Id,
            ["to"] = new JsonArray(Public),
            ["cc"] = new JsonArray(erin.Id + "/followers"),
            ["content"] = "<p>Road works on Main Street #traffic</p>",
            ["published"] = DateTimeOffset.UtcNow.ToString("O"),
            ["tag"] = new JsonArray(new JsonObject { ["type"] = "Hashtag", ["name"] = "#traffic", ["href"] = "https://example.invalid/tags/traffic" }),
        });
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", create, erin)).StatusCode);
        var home = await Eventually.ValueAsync(() => GetAsync("/api/v1/timelines/home", token), h => h.Body.GetArrayLength() > 0, "erin's post in alice's home timeline");
        Assert.AreEqual(noteId, home.Body[0].GetProperty("uri").GetString());
        var tag = await GetAsync("/api/v1/timelines/tag/traffic", null);
        Assert.IsTrue(tag.Body.EnumerateArray().Any(s => s.GetProperty("uri").GetString() == noteId), "public remote posts are in the hashtag timeline");
        var remoteOnly = await GetAsync("/api/v1/timelines/public?remote=true", null);
        Assert.IsTrue(remoteOnly.Body.EnumerateArray().Any(s => s.GetProperty("uri").GetString() == noteId));

        // An edit replaces the content; a Delete takes the post away.
        var edited = (JsonObject)JsonNode.Parse(create["object"]!.ToJsonString())!;
        edited["content"] = "<p>Road works on Main Street end Friday</p>";
        edited["updated"] = DateTimeOffset.UtcNow.ToString("O");
        var update = Activity(erin, "Update", null);
        update["object"] = edited;
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", update, erin)).StatusCode);
        var statusId = home.Body[0].GetProperty("id").GetString();
        var afterEdit = await Eventually.ValueAsync(() => GetAsync($"/api/v1/statuses/{statusId}", token), s => s.Body.GetProperty("content").GetString()!.Contains("Friday", StringComparison.Ordinal), "the edit");
        Assert.AreEqual(JsonValueKind.String, afterEdit.Body.GetProperty("edited_at").ValueKind);

        var delete = Activity(erin, "Delete", null);
        delete["object"] = new JsonObject { ["id"] = noteId, ["type"] = "Tombstone" };
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", delete, erin)).StatusCode);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/statuses/{statusId}", token)).Status == HttpStatusCode.NotFound, "the Delete");
        Assert.AreEqual(0, (await GetAsync("/api/v1/timelines/home", token)).Body.EnumerateArray().Count(s => s.GetProperty("uri").GetString() == noteId));

        var unfollowed = await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{erinId}/unfollow", token);
        Assert.IsFalse(unfollowed.Body.GetProperty("following").GetBoolean());
        var undo = await Eventually.ValueAsync(() => Task.FromResult(Peer.PostsTo(erin.InboxPath).Select(p => JsonNode.Parse(p.BodyText)!).FirstOrDefault(a => (string?)a["type"] == "Undo")),
            u => u is not null, "the Undo(Follow) reaching erin");
        Assert.AreEqual((string?)follow["id"], (string?)undo!["object"]!["id"]);
    }

    [TestMethod]
    public async Task Blocking_a_domain_removes_its_followers_hides_its_posts_and_can_be_undone()
    {
        var (alice, token) = await AccountAsync("domainblocker");
        var gina = Peer.AddActor("gina" + Next());
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync($"/users/{alice.Username}/inbox", Activity(gina, "Follow", ActorUri(alice)), gina)).StatusCode);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/accounts/{alice.Id}", token)).Body.GetProperty("followers_count").GetInt32() == 1, "gina following");
        var post = await PostAsync(token, "Question for the fediverse");
        var reply = Create(gina, new JsonObject
        {
            ["id"] = $"{gina.Id}/statuses/{Next()}",
            ["type"] = "Note",
            ["attributedTo"] = gina.Id,
            ["inReplyTo"] = StatusUri(alice, post),
            ["to"] = new JsonArray(Public),
            ["content"] = "<p>An answer</p>",
            ["tag"] = new JsonArray(new JsonObject { ["type"] = "Mention", ["href"] = ActorUri(alice) }),
        });
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", reply, gina)).StatusCode);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/statuses/{post}/context", token)).Body.GetProperty("descendants").GetArrayLength() == 1, "the reply in the thread");

        var host = new Uri(gina.Id).Host;
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, (await SendAsync(HttpMethod.Post, "/api/v1/domain_blocks", token, Json(new { domain = "not a host!" }))).Status);
        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/api/v1/domain_blocks", token, Json(new { domain = host }))).Status);
        CollectionAssert.AreEqual(new[] { host }, (await GetAsync("/api/v1/domain_blocks", token)).Body.EnumerateArray().Select(d => d.GetString()).ToArray());
        Assert.AreEqual(0, (await GetAsync($"/api/v1/accounts/{alice.Id}", token)).Body.GetProperty("followers_count").GetInt32(), "the server's followers are removed");
        Assert.AreEqual(0, (await GetAsync($"/api/v1/statuses/{post}/context", token)).Body.GetProperty("descendants").GetArrayLength(), "its posts are hidden");
        Assert.IsTrue((await GetAsync($"/api/v1/accounts/relationships?id[]={RemoteAccountIds.For(gina.Id)}", token)).Body[0].GetProperty("domain_blocking").GetBoolean());

        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Delete, "/api/v1/domain_blocks", token, Json(new { domain = host }))).Status);
        Assert.AreEqual(0, (await GetAsync("/api/v1/domain_blocks", token)).Body.GetArrayLength());
        Assert.AreEqual(1, (await GetAsync($"/api/v1/statuses/{post}/context", token)).Body.GetProperty("descendants").GetArrayLength());
    }

    [TestMethod]
    public async Task A_private_status_is_liked_only_by_its_audience()
    {
        var (alice, token) = await AccountAsync("privateliked");
        var (_, body) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, Json(new { status = "Followers only", visibility = "private" }));
        var post = body.GetProperty("id").GetString()!;
        var outsider = Peer.AddActor("outsider" + Next());
        var follower = Peer.AddActor("insider" + Next());
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync($"/users/{alice.Username}/inbox", Activity(follower, "Follow", ActorUri(alice)), follower)).StatusCode);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/accounts/{alice.Id}", token)).Body.GetProperty("followers_count").GetInt32() == 1, "the follower");

        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Activity(outsider, "Like", StatusUri(alice, post)), outsider)).StatusCode);
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Activity(follower, "Like", StatusUri(alice, post)), follower)).StatusCode);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/statuses/{post}", token)).Body.GetProperty("favourites_count").GetInt32() == 1, "the follower's like");
        await WaitUntilQuietAsync();
        Assert.AreEqual(1, (await GetAsync($"/api/v1/statuses/{post}", token)).Body.GetProperty("favourites_count").GetInt32(), "the outsider's like is not counted");
        var favouritedBy = await GetAsync($"/api/v1/statuses/{post}/favourited_by", token);
        CollectionAssert.AreEqual(new[] { follower.Id }, favouritedBy.Body.EnumerateArray().Select(a => a.GetProperty("uri").GetString()).ToArray());
    }

    [TestMethod]
    public async Task A_note_attributed_to_someone_else_is_not_stored()
    {
        var (alice, token) = await AccountAsync("forged");
        var post = await PostAsync(token, "Consultation opens today.");
        var mallory = Peer.AddActor("mallory" + Next());
        var victim = Peer.AddActor("victim" + Next());
        var create = Create(mallory, new JsonObject
        {
            ["id"] = $"{mallory.Id}/statuses/{Next()}",
            ["type"] = "Note",
            ["attributedTo"] = victim.Id,
            ["inReplyTo"] = StatusUri(alice, post),
            ["to"] = new JsonArray(Public),
            ["content"] = "<p>forged</p>",
            ["tag"] = new JsonArray(new JsonObject { ["type"] = "Mention", ["href"] = ActorUri(alice) }),
        });
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", create, mallory)).StatusCode);
        await WaitUntilQuietAsync();
        Assert.AreEqual(0, (await GetAsync("/api/v1/notifications", token)).Body.GetArrayLength());
        Assert.AreEqual(0, (await GetAsync($"/api/v1/statuses/{post}", token)).Body.GetProperty("replies_count").GetInt32());
    }

    [TestMethod]
    public async Task A_remote_Block_ends_the_follow_and_a_Flag_becomes_a_report()
    {
        var (alice, token) = await AccountAsync("blocked");
        var post = await PostAsync(token, "Our statement.");
        var frank = Peer.AddActor("frank" + Next());
        var follow = Activity(frank, "Follow", ActorUri(alice));
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync($"/users/{alice.Username}/inbox", follow, frank)).StatusCode);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/accounts/{alice.Id}", token)).Body.GetProperty("followers_count").GetInt32() == 1, "frank following");
        var followers = await GetAsync($"/api/v1/accounts/{alice.Id}/followers", token);
        Assert.AreEqual(frank.Id, followers.Body[0].GetProperty("uri").GetString());
        var frankFollows = await GetAsync($"/api/v1/accounts/{RemoteAccountIds.For(frank.Id)}/following", token);
        Assert.AreEqual(alice.Id, frankFollows.Body.EnumerateArray().Single().GetProperty("id").GetString(), "the local accounts a remote account follows");

        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Activity(frank, "Block", ActorUri(alice)), frank)).StatusCode);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/accounts/{alice.Id}", token)).Body.GetProperty("followers_count").GetInt32() == 0, "the Block ending the follow");
        var rel = await GetAsync($"/api/v1/accounts/relationships?id[]={RemoteAccountIds.For(frank.Id)}", token);
        Assert.IsTrue(rel.Body[0].GetProperty("blocked_by").GetBoolean());

        var flag = Activity(frank, "Flag", null);
        flag["object"] = new JsonArray(ActorUri(alice), StatusUri(alice, post));
        flag["content"] = "Spam";
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", flag, frank)).StatusCode);
        var reports = Instance.Services.GetRequiredService<ReportStore>();
        var report = await Eventually.ValueAsync(async () => (await reports.ListAsync(10, CancellationToken.None)).FirstOrDefault(r => r.ReporterActorId == frank.Id), r => r is not null, "the report");
        CollectionAssert.AreEqual(new[] { alice.Id }, report!.AccountIds.ToArray());
        CollectionAssert.AreEqual(new[] { post }, report.StatusIds.ToArray());
        Assert.AreEqual("Spam", report.Comment);
    }

    [TestMethod]
    public async Task Local_accounts_follow_each_other_and_see_posts_favourites_and_notifications()
    {
        var (author, authorToken) = await AccountAsync("ministry");
        var (reader, readerToken) = await AccountAsync("agency");
        var rel = await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{author.Id}/follow", readerToken);
        Assert.IsTrue(rel.Body.GetProperty("following").GetBoolean(), rel.Body.ToString());
        var authorView = await GetAsync($"/api/v1/accounts/relationships?id[]={reader.Id}", authorToken);
        Assert.IsTrue(authorView.Body[0].GetProperty("followed_by").GetBoolean());
        var follows = await GetAsync("/api/v1/notifications?types[]=follow", authorToken);
        Assert.AreEqual(reader.Id, follows.Body[0].GetProperty("account").GetProperty("id").GetString());

        var post = await PostAsync(authorToken, "New regulation published #law");
        var home = await Eventually.ValueAsync(() => GetAsync("/api/v1/timelines/home", readerToken), h => h.Body.GetArrayLength() > 0, "the post in the follower's home timeline");
        Assert.AreEqual(post, home.Body[0].GetProperty("id").GetString());
        var local = await GetAsync("/api/v1/timelines/public?local=true", null);
        Assert.IsTrue(local.Body.EnumerateArray().Any(s => s.GetProperty("id").GetString() == post));

        var favourited = await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{post}/favourite", readerToken);
        Assert.IsTrue(favourited.Body.GetProperty("favourited").GetBoolean());
        Assert.AreEqual(1, favourited.Body.GetProperty("favourites_count").GetInt32());
        var again = await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{post}/favourite", readerToken);
        Assert.AreEqual(1, again.Body.GetProperty("favourites_count").GetInt32(), "favouriting twice counts once");
        var bookmarked = await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{post}/bookmark", readerToken);
        Assert.IsTrue(bookmarked.Body.GetProperty("bookmarked").GetBoolean());
        Assert.AreEqual(post, (await GetAsync("/api/v1/bookmarks", readerToken)).Body[0].GetProperty("id").GetString());
        Assert.AreEqual(post, (await GetAsync("/api/v1/favourites", readerToken)).Body[0].GetProperty("id").GetString());
        var reblog = await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{post}/reblog", readerToken);
        Assert.AreEqual(HttpStatusCode.OK, reblog.Status, reblog.Body.ToString());
        Assert.AreEqual(post, reblog.Body.GetProperty("reblog").GetProperty("id").GetString());
        Assert.AreEqual(reader.Id, reblog.Body.GetProperty("account").GetProperty("id").GetString());

        var types = await Eventually.ValueAsync(
            async () => (await GetAsync("/api/v1/notifications", authorToken)).Body.EnumerateArray().Select(n => n.GetProperty("type").GetString()).Order().ToArray(),
            t => t.Length >= 3, "the favourite's notification (from the queue)");
        CollectionAssert.AreEqual(new[] { "favourite", "follow", "reblog" }, types);
        var unread = await GetAsync("/api/v1/notifications/unread_count", authorToken);
        Assert.AreEqual(3, unread.Body.GetProperty("count").GetInt32());

        var pinned = await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{post}/pin", authorToken);
        Assert.IsTrue(pinned.Body.GetProperty("pinned").GetBoolean());
        Assert.AreEqual(post, (await GetAsync($"/api/v1/accounts/{author.Id}/statuses?pinned=true", null)).Body[0].GetProperty("id").GetString());
        var foreignPin = await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{post}/pin", readerToken);
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, foreignPin.Status);

        var first = (await GetAsync("/api/v1/notifications", authorToken)).Body[0].GetProperty("id").GetString();
        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/v1/notifications/{first}/dismiss", authorToken)).Status);
        Assert.AreEqual(HttpStatusCode.NotFound, (await GetAsync($"/api/v1/notifications/{first}", authorToken)).Status);
        Assert.AreEqual(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, $"/api/v1/notifications/{first}/dismiss", readerToken)).Status, "another account's notification");
        await SendAsync(HttpMethod.Post, "/api/v1/notifications/clear", authorToken);
        Assert.AreEqual(0, (await GetAsync("/api/v1/notifications", authorToken)).Body.GetArrayLength());

        var unfollowed = await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{author.Id}/unfollow", readerToken);
        Assert.IsFalse(unfollowed.Body.GetProperty("following").GetBoolean());
        Assert.AreEqual(0, (await GetAsync($"/api/v1/accounts/{author.Id}", null)).Body.GetProperty("followers_count").GetInt32());
    }

    [TestMethod]
    public async Task Locked_accounts_answer_follow_requests_and_private_posts_reach_only_followers()
    {
        var (owner, ownerToken) = await AccountAsync("lockedagency");
        await Instance.AccountProfiles.UpdateProfileAsync(owner.Username, null, null, locked: true);
        var (asker, askerToken) = await AccountAsync("asker");
        var (stranger, strangerToken) = await AccountAsync("stranger");

        var rel = await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{owner.Id}/follow", askerToken);
        Assert.IsTrue(rel.Body.GetProperty("requested").GetBoolean());
        var requests = await GetAsync("/api/v1/follow_requests", ownerToken);
        Assert.AreEqual(asker.Id, requests.Body[0].GetProperty("id").GetString());
        var authorized = await SendAsync(HttpMethod.Post, $"/api/v1/follow_requests/{asker.Id}/authorize", ownerToken);
        Assert.IsTrue(authorized.Body.GetProperty("followed_by").GetBoolean());
        Assert.IsTrue((await GetAsync($"/api/v1/accounts/relationships?id[]={owner.Id}", askerToken)).Body[0].GetProperty("following").GetBoolean());
        Assert.AreEqual(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, $"/api/v1/follow_requests/{stranger.Id}/reject", ownerToken)).Status);

        var (_, body) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", ownerToken, Json(new { status = "Internal note", visibility = "private" }));
        var id = body.GetProperty("id").GetString();
        Assert.AreEqual(HttpStatusCode.OK, (await GetAsync($"/api/v1/statuses/{id}", askerToken)).Status);
        Assert.AreEqual(HttpStatusCode.NotFound, (await GetAsync($"/api/v1/statuses/{id}", strangerToken)).Status);
        Assert.AreEqual(HttpStatusCode.NotFound, (await GetAsync($"/api/v1/statuses/{id}", null)).Status);
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, (await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{id}/reblog", askerToken)).Status);
        Assert.AreEqual(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{id}/favourite", strangerToken)).Status);
        var statuses = await GetAsync($"/api/v1/accounts/{owner.Id}/statuses", strangerToken);
        Assert.AreEqual(0, statuses.Body.GetArrayLength(), "a stranger does not see private posts in the account's list");
    }

    [TestMethod]
    public async Task Hostile_and_unknown_requests_get_Mastodon_errors_and_change_nothing()
    {
        var (me, token) = await AccountAsync("careful");
        Assert.AreEqual(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{me.Id}/follow", token)).Status);
        Assert.AreEqual(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, "/api/v1/accounts/111111111111111111/follow", token)).Status);
        Assert.AreEqual(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, "/api/v1/accounts/1999999999999999999/follow", token)).Status);
        Assert.AreEqual(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, "/api/v1/statuses/111111111111111111/favourite", token)).Status);
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await GetAsync("/api/v1/timelines/home", null)).Status);
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await GetAsync("/api/v1/notifications", "not-a-token")).Status);
        var readOnly = await Instance.Services.GetRequiredService<AccessTokenStore>().IssueAsync(me.Id, ["read"]);
        var forbidden = await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{me.Id}/follow", readOnly);
        Assert.AreEqual(HttpStatusCode.Forbidden, forbidden.Status);
        Assert.AreEqual(JsonValueKind.String, forbidden.Body.GetProperty("error").ValueKind);
        Assert.AreEqual(HttpStatusCode.NotFound, (await GetAsync("/api/v1/accounts/lookup?acct=nobody", null)).Status);
        Assert.AreEqual(me.Id, (await GetAsync($"/api/v1/accounts/lookup?acct={me.Username}", null)).Body.GetProperty("id").GetString());
        Assert.AreEqual(0, (await GetAsync($"/api/v1/accounts/{me.Id}", null)).Body.GetProperty("following_count").GetInt32());
    }
}
