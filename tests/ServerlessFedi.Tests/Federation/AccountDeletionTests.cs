using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Functions.Admin;
using ServerlessFedi.OAuth;
using ServerlessFedi.Signatures;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.MastodonApi;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// Account deletion end to end: <c>admin account delete</c> against the running standalone host (its queue listeners run the
/// removal; a <see cref="FakePeer"/> receives the Delete), inbound actor Deletes from the peer, and the removal stepped by hand
/// with every step run twice (a crash after its work, before the message completed).
/// </summary>
[TestClass]
public sealed class AccountDeletionTests : FederationTest<AccountDeletionTests>
{
    [TestMethod]
    public async Task Deleting_an_account_revokes_its_tokens_answers_410_and_sends_a_signed_Delete_to_each_distinct_inbox()
    {
        var (alice, token) = await AccountAsync("leaving" + Next());
        var (bob, bobToken) = await AccountAsync("staying" + Next());
        var post = await PostAsync(token, "Our last announcement.");
        var bobPost = await PostAsync(bobToken, "Still here.");

        // Two followers on the peer's shared inbox, one without a shared inbox, one account alice follows; bob follows alice.
        var p1 = Peer.AddActor("one" + Next());
        var p2 = Peer.AddActor("two" + Next());
        var p3 = Peer.AddActor("three" + Next(), sharedInbox: false);
        var p4 = Peer.AddActor("four" + Next(), sharedInbox: false);
        foreach (var p in new[] { p1, p2, p3 })
        {
            Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync($"/users/{alice.Username}/inbox", Activity(p, "Follow", ActorUri(alice)), p)).StatusCode);
        }

        await PostSignedAsync("/inbox", Activity(p4, "Like", $"{Instance.BaseUrl}/users/nobody/statuses/1"), p4);
        var p4Id = RemoteAccountIds.For(p4.Id);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/accounts/{p4Id}", token)).Status == HttpStatusCode.OK, "the peer account becoming known");
        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{p4Id}/follow", token)).Status);
        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{alice.Id}/follow", bobToken)).Status);
        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{bobPost}/favourite", token)).Status);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/accounts/{alice.Id}", token)).Body.GetProperty("followers_count").GetInt32() == 4, "four followers");
        await WaitUntilQuietAsync();

        var refused = await AdminAsync("account", "delete", "--username", alice.Username);
        Assert.AreEqual(2, refused.Exit, "without --yes nothing happens");
        Assert.AreEqual(HttpStatusCode.OK, (await GetAsync("/api/v1/accounts/verify_credentials", token)).Status);

        var deleted = await AdminAsync("account", "delete", "--username", alice.Username, "--yes");
        Assert.AreEqual(0, deleted.Exit, deleted.Stderr);
        StringAssert.Contains(deleted.Stdout, "Revoked 1 access token(s).");
        StringAssert.Contains(deleted.Stdout, "4 follower(s)");

        // Gone at once: no API access, 410 for the actor (a Tombstone), WebFinger, the profile and the posts.
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await GetAsync("/api/v1/accounts/verify_credentials", token)).Status);
        var actor = await GetActivityAsync($"/users/{alice.Username}");
        Assert.AreEqual(HttpStatusCode.Gone, actor.Status);
        Assert.AreEqual("Tombstone", actor.Body.GetProperty("type").GetString());
        Assert.AreEqual("Person", actor.Body.GetProperty("formerType").GetString());
        Assert.AreEqual(ActorUri(alice), actor.Body.GetProperty("id").GetString());
        var webFinger = await Instance.Http.GetAsync($"/.well-known/webfinger?resource=acct:{alice.Username}@{new Uri(Instance.BaseUrl).Authority}");
        Assert.AreEqual(HttpStatusCode.Gone, webFinger.StatusCode);
        Assert.AreEqual(HttpStatusCode.Gone, (await Instance.Http.GetAsync($"/@{alice.Username}")).StatusCode);
        var note = await GetActivityAsync($"/users/{alice.Username}/statuses/{post}");
        Assert.AreEqual(HttpStatusCode.Gone, note.Status);
        Assert.AreEqual("Tombstone", note.Body.GetProperty("type").GetString());
        foreach (var collection in new[] { "followers", "following", "outbox", "collections/featured", "collections/tags" })
        {
            Assert.AreEqual(HttpStatusCode.Gone, (await GetActivityAsync($"/users/{alice.Username}/{collection}")).Status, collection);
        }

        Assert.AreEqual(HttpStatusCode.NotFound, (await GetAsync($"/api/v1/accounts/{alice.Id}", bobToken)).Status);

        await WaitUntilQuietAsync();
        var deletes = Peer.Received.Where(r => r.Method == "POST" && r.BodyText.Contains("\"type\":\"Delete\"", StringComparison.Ordinal)
            && r.BodyText.Contains(ActorUri(alice), StringComparison.Ordinal)).ToList();
        CollectionAssert.AreEquivalent(new[] { "/inbox", p3.InboxPath, p4.InboxPath }, deletes.Select(r => r.Path).ToArray(), "one Delete per distinct inbox");
        var keys = new PublicKeyMaterial(Instance.BaseUrl + $"/users/{alice.Username}#main-key", ActorUri(alice), alice.RsaPublicKeyPem, null);
        foreach (var request in deletes)
        {
            var verification = await new HttpSignatureVerifier(new StaticKeyResolver(keys), TimeProvider.System).VerifyAsync(request.ToSignatureRequest(Peer.Authority), CancellationToken.None);
            Assert.IsInstanceOfType<SignatureVerification.Verified>(verification, "signed with the deleted account's key");
            using var doc = JsonDocument.Parse(request.BodyText);
            Assert.AreEqual(ActorUri(alice), doc.RootElement.GetProperty("object").GetString());
            Assert.AreEqual(ActorUri(alice), doc.RootElement.GetProperty("actor").GetString());
            var proof = ObjectIntegrityProof.Verify(doc.RootElement, doc.RootElement.GetProperty("proof"), new PublicKeyMaterial($"{ActorUri(alice)}#ed25519-key", ActorUri(alice), null, alice.Ed25519PublicKey), DateTimeOffset.UtcNow);
            Assert.IsInstanceOfType<ProofVerification.Verified>(proof, "the Delete carries the account's integrity proof");
        }

        // The removal finished: bob no longer follows anyone, his post's favourite is taken back, alice's posts are tombstones.
        var stored = await Instance.Accounts.GetByIdIncludingDeletedAsync(alice.Id);
        Assert.IsNotNull(stored!.PurgedAt);
        Assert.AreEqual(0, (await GetAsync($"/api/v1/accounts/{bob.Id}", bobToken)).Body.GetProperty("following_count").GetInt32());
        Assert.AreEqual(0, (await GetAsync($"/api/v1/statuses/{bobPost}", bobToken)).Body.GetProperty("favourites_count").GetInt32());
        Assert.IsNotNull((await Instance.Services.GetRequiredService<StatusStore>().GetAsync(post, CancellationToken.None))!.DeletedAt);

        // The username is never given again, and a second delete says so.
        var again = await Instance.Accounts.CreateAsync(new NewAccount(alice.Username.ToUpperInvariant(), "Correct-Horse-42-battery", "Impostor"));
        Assert.IsFalse(again.Succeeded);
        var twice = await AdminAsync("account", "delete", "--username", alice.Username, "--yes");
        Assert.AreEqual(0, twice.Exit);
        StringAssert.Contains(twice.Stdout, "already deleted");
        Assert.AreEqual(1, (await AdminAsync("account", "delete", "--username", "nobody" + Next(), "--yes")).Exit);
    }

    [TestMethod]
    public async Task Deleting_an_account_removes_its_two_factor_enrolment_and_its_block_mute_and_note_rows()
    {
        var (alice, token) = await AccountAsync("relations" + Next());
        var (bob, bobToken) = await AccountAsync("blocked" + Next());
        var (carol, _) = await AccountAsync("muted" + Next());
        await Instance.Services.GetRequiredService<TwoFactorStore>().EnableAsync(alice.Id, [1, 2, 3], ["recovery-hash"], DateTimeOffset.UtcNow);
        Assert.IsNotNull(await Instance.Services.GetRequiredService<TwoFactorStore>().GetAsync(alice.Id));
        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{bob.Id}/block", token)).Status);
        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{carol.Id}/mute", token)).Status);
        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{carol.Id}/note", token, Json(new { comment = "press office" }))).Status);
        Assert.IsTrue((await GetAsync($"/api/v1/accounts/relationships?id[]={alice.Id}", bobToken)).Body[0].GetProperty("blocked_by").GetBoolean());

        var deleted = await AdminAsync("account", "delete", "--username", alice.Username, "--yes");
        Assert.AreEqual(0, deleted.Exit, deleted.Stderr);
        await Eventually.TrueAsync(async () => (await Instance.Accounts.GetByIdIncludingDeletedAsync(alice.Id))!.PurgedAt is not null, "the deletion finishing");

        var following = Instance.Services.GetRequiredService<FollowingStore>();
        Assert.IsNull(await Instance.Services.GetRequiredService<TwoFactorStore>().GetAsync(alice.Id), "no 2FA row is left");
        Assert.IsFalse(await following.HasRelationAsync(RelationshipService.Block, alice.Id, ActorUri(bob), CancellationToken.None));
        Assert.IsFalse(await following.HasRelationAsync(RelationshipService.Mute, alice.Id, ActorUri(carol), CancellationToken.None));
        Assert.AreEqual("", await following.GetNoteAsync(alice.Id, ActorUri(carol), CancellationToken.None));
        Assert.IsFalse(await following.HasRelationAsync(RelationshipService.BlockedBy, bob.Id, ActorUri(alice), CancellationToken.None), "bob's blocked-by row goes too");
    }

    [TestMethod]
    public async Task A_remote_actor_deleting_itself_loses_its_follows_and_posts_and_is_refused_afterwards()
    {
        var (alice, token) = await AccountAsync("followed" + Next());
        var carol = Peer.AddActor("carol" + Next());
        var mallory = Peer.AddActor("mallory" + Next());
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync($"/users/{alice.Username}/inbox", Activity(carol, "Follow", ActorUri(alice)), carol)).StatusCode);
        var noteId = $"{carol.Id}/statuses/{Next()}";
        var create = Activity(carol, "Create", null);
        create["to"] = new JsonArray("https://www.w3.org/ns/activitystreams#Public");
        create["object"] = new JsonObject
        {
            ["id"] = noteId,
            ["type"] = "Note",
            ["attributedTo"] = carol.Id,
            ["to"] = new JsonArray("https://www.w3.org/ns/activitystreams#Public"),
            ["content"] = $"<p>@{alice.Username} hello</p>",
            ["published"] = "2026-11-20T10:00:00Z",
            ["tag"] = new JsonArray(new JsonObject { ["type"] = "Mention", ["href"] = ActorUri(alice), ["name"] = "@" + alice.Username }),
        };
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", create, carol)).StatusCode);
        var carolId = RemoteAccountIds.For(carol.Id);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/accounts/{carolId}", token)).Status == HttpStatusCode.OK, "carol becoming known");
        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{carolId}/follow", token)).Status);
        var mention = await Eventually.ValueAsync(() => GetAsync("/api/v1/notifications?types[]=mention", token), n => n.Body.GetArrayLength() == 1, "the mention");
        var statusId = mention.Body[0].GetProperty("status").GetProperty("id").GetString();
        await WaitUntilQuietAsync();
        Assert.AreEqual(1, (await GetAsync($"/api/v1/accounts/{alice.Id}", token)).Body.GetProperty("followers_count").GetInt32());

        // Hostile: mallory deletes carol (signed by mallory) and claims to be carol (signed by mallory): neither has effect.
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Activity(mallory, "Delete", carol.Id), mallory)).StatusCode);
        var forged = Activity(carol, "Delete", carol.Id);
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await PostSignedAsync("/inbox", forged, mallory)).StatusCode);
        await WaitUntilQuietAsync();
        Assert.AreEqual(1, (await GetAsync($"/api/v1/accounts/{alice.Id}", token)).Body.GetProperty("followers_count").GetInt32(), "carol still follows");
        Assert.AreEqual(HttpStatusCode.OK, (await GetAsync($"/api/v1/statuses/{statusId}", token)).Status);

        // Carol's own Delete, with a Tombstone as its object: follows both ways and her stored post go.
        var delete = Activity(carol, "Delete", null);
        delete["object"] = new JsonObject { ["id"] = carol.Id, ["type"] = "Tombstone" };
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", delete, carol)).StatusCode);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/accounts/{alice.Id}", token)).Body.GetProperty("followers_count").GetInt32() == 0, "carol's follow removed");
        await WaitUntilQuietAsync();
        Assert.AreEqual(HttpStatusCode.NotFound, (await GetAsync($"/api/v1/statuses/{statusId}", token)).Status);
        var relationship = (await GetAsync($"/api/v1/accounts/relationships?id[]={carolId}", token)).Body[0];
        Assert.IsFalse(relationship.GetProperty("following").GetBoolean());
        Assert.IsFalse(relationship.GetProperty("requested").GetBoolean());
        Assert.AreEqual(HttpStatusCode.OK, (await GetAsync("/api/v1/notifications", token)).Status, "old notifications still render");

        // Afterwards: her key verifies nothing (even though her server still serves it); her Delete again is accepted without effect.
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await PostSignedAsync($"/users/{alice.Username}/inbox", Activity(carol, "Follow", ActorUri(alice)), carol)).StatusCode);
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Activity(carol, "Delete", carol.Id), carol)).StatusCode);
        await WaitUntilQuietAsync();
        Assert.AreEqual(0, (await GetAsync($"/api/v1/accounts/{alice.Id}", token)).Body.GetProperty("followers_count").GetInt32());
    }

    [TestMethod]
    public async Task A_Delete_from_an_actor_whose_document_is_gone_is_verified_with_the_key_cached_before()
    {
        var (alice, token) = await AccountAsync("cached" + Next());
        var name = "gone" + Next();
        var dave = Peer.AddActor(name);
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync($"/users/{alice.Username}/inbox", Activity(dave, "Follow", ActorUri(alice)), dave)).StatusCode);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/accounts/{alice.Id}", token)).Body.GetProperty("followers_count").GetInt32() == 1, "dave following");
        await WaitUntilQuietAsync();

        // Our copy is older than the cache lifetime and dave's server now answers 410 for him: the refetch fails.
        var cache = Instance.Services.GetRequiredService<RemoteActorStore>();
        var cached = (await cache.GetAsync(dave.Id, CancellationToken.None))!;
        await cache.PutAsync(cached with { FetchedAt = DateTimeOffset.UtcNow - RemoteActorResolver.CacheLifetime - TimeSpan.FromHours(1) }, CancellationToken.None);
        Peer.MarkGone(name);

        // Someone else's key still proves nothing; dave's own (cached) key proves his Delete.
        var mallory = Peer.AddActor("mallory" + Next());
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await PostSignedAsync("/inbox", Activity(dave, "Delete", dave.Id), mallory)).StatusCode);
        await WaitUntilQuietAsync();
        Assert.AreEqual(1, (await GetAsync($"/api/v1/accounts/{alice.Id}", token)).Body.GetProperty("followers_count").GetInt32());
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Activity(dave, "Delete", dave.Id), dave)).StatusCode);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/accounts/{alice.Id}", token)).Body.GetProperty("followers_count").GetInt32() == 0, "dave's follow removed");
        Assert.IsNotNull((await cache.GetAsync(dave.Id, CancellationToken.None))!.DeletedAt);
    }

    [TestMethod]
    public async Task An_interrupted_deletion_completes_when_steps_repeat_or_the_command_runs_again()
    {
        // Core services over their own prefix, no queue listeners: the test is the queue trigger.
        var configuration = TestStorage.Configuration(TestStorage.NewPrefix());
        await using var sp = new ServiceCollection().AddFedi(configuration).BuildServiceProvider();
        var accounts = sp.GetRequiredService<AccountStore>();
        var deletion = sp.GetRequiredService<AccountDeletion>();
        var queues = sp.GetRequiredService<FederationQueues>();
        var raw = sp.GetRequiredService<StorageAccount>().RawQueues;
        var urls = sp.GetRequiredService<InstanceUrls>();
        var created = await accounts.CreateAsync(new NewAccount("busy", "Correct-Horse-42-battery", "Busy"));
        var account = created.Account!;
        var service = sp.GetRequiredService<StatusService>();
        var statusIds = new List<string>();
        for (var i = 0; i < AccountDeletion.StatusesPerStep + 7; i++)
        {
            statusIds.Add((await service.CreateAsync(account, new NewStatus($"Post {i}"), CancellationToken.None)).Status!.Id);
        }

        var followers = sp.GetRequiredService<FollowerStore>();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < AccountDeletion.FollowsPerStep + 5; i++)
        {
            // Followers on 3 servers (shared inboxes) plus one without a shared inbox.
            var host = $"https://s{i % 3}.example";
            await followers.AddAsync(account.Id, new RemoteActor($"{host}/users/u{i}", "Person", $"u{i}", null, $"{host}/users/u{i}/inbox", $"{host}/inbox", null, null, null, null, null, now), null, CancellationToken.None);
        }

        await followers.AddAsync(account.Id, new RemoteActor("https://solo.example/users/x", "Person", "x", null, "https://solo.example/users/x/inbox", null, null, null, null, null, null, now), null, CancellationToken.None);
        await raw.GetQueueClient(queues.Fanout).DeleteIfExistsAsync();

        // The command's message is lost (the process died right after it): running the command again queues the removal anew.
        await deletion.DeleteLocalAsync("busy", CancellationToken.None);
        await raw.GetQueueClient(queues.Accounts).ClearMessagesAsync();
        Assert.IsNull(await accounts.GetByUsernameAsync("busy"), "gone at once");
        await deletion.DeleteLocalAsync("busy", CancellationToken.None);

        // Every step runs twice, as after a crash between its work and the message's completion.
        var steps = 0;
        while (true)
        {
            var message = (await raw.GetQueueClient(queues.Accounts).ReceiveMessageAsync()).Value;
            if (message is null)
            {
                break;
            }

            var step = JsonSerializer.Deserialize(Encoding.UTF8.GetString(Convert.FromBase64String(message.MessageText)), QueueJsonContext.Default.AccountDeletionMessage)!;
            await deletion.ProcessAsync(step, CancellationToken.None);
            await deletion.ProcessAsync(step, CancellationToken.None);
            await raw.GetQueueClient(queues.Accounts).DeleteMessageAsync(message.MessageId, message.PopReceipt);
            Assert.IsLessThan(100, ++steps, "the removal ends");
        }

        var stored = await accounts.GetByIdIncludingDeletedAsync(account.Id);
        Assert.IsNotNull(stored!.PurgedAt);
        Assert.AreEqual(0, stored.FollowersCount);
        var statuses = sp.GetRequiredService<StatusStore>();
        foreach (var id in statusIds)
        {
            Assert.IsNotNull((await statuses.GetAsync(id, CancellationToken.None))!.DeletedAt, id);
        }

        Assert.AreEqual(0, (await followers.GetPageAsync(account.Id, null, 10)).Followers.Count);

        // Repeated steps sent no Delete twice: one per distinct inbox.
        var inboxes = new List<string>();
        var deliver = raw.GetQueueClient(queues.Deliver);
        while ((await deliver.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value is { Length: > 0 } batch)
        {
            inboxes.AddRange(batch.Select(m => JsonSerializer.Deserialize(Encoding.UTF8.GetString(Convert.FromBase64String(m.MessageText)), QueueJsonContext.Default.DeliveryMessage)!)
                .Where(d => d.Activity!.Contains("\"type\":\"Delete\"", StringComparison.Ordinal) && d.Activity.Contains($"\"object\":\"{urls.Actor("busy")}\"", StringComparison.Ordinal))
                .Select(d => d.Inbox));
        }

        CollectionAssert.AreEquivalent(new[] { "https://s0.example/inbox", "https://s1.example/inbox", "https://s2.example/inbox", "https://solo.example/users/x/inbox" }, inboxes);
        foreach (var queue in queues.All.SelectMany(q => new[] { q, q + "-poison" }))
        {
            await raw.GetQueueClient(queue).DeleteIfExistsAsync();
        }
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> AdminAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var configuration = Instance.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        var exit = await AdminCli.RunAsync(args, configuration, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
