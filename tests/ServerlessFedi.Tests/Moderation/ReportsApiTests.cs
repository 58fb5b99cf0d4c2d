using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Federation;
using ServerlessFedi.Statuses;
using ServerlessFedi.Tests.Federation;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Moderation;

/// <summary>
/// <c>POST /api/v1/reports</c> (docs: methods/reports): a report filed from an app is kept for the operator beside the
/// Flags other servers send, and with <c>forward</c> a remote account's server receives a Flag from the instance actor.
/// </summary>
[TestClass]
public sealed class ReportsApiTests : FederationTest<ReportsApiTests>
{
    [TestMethod]
    public async Task A_forwarded_report_of_a_remote_post_is_kept_for_the_operator_and_reaches_its_server_as_a_Flag_from_the_instance_actor()
    {
        var (reporter, token) = await AccountAsync("reporter" + Next());
        var (spammer, statusId, noteId) = await RemotePostAsync("Buy cheap followers", reporter);
        var before = Peer.PostsTo("/inbox").Count;

        var (status, report) = await SendAsync(HttpMethod.Post, "/api/v1/reports", token, Json(new
        {
            account_id = RemoteAccountIds.For(spammer.Id),
            status_ids = new[] { statusId },
            comment = "Advertising in replies to the flood warning",
            category = "spam",
            forward = true,
        }));

        Assert.AreEqual(HttpStatusCode.OK, status, report.ToString());
        Assert.AreEqual("spam", report.GetProperty("category").GetString());
        Assert.IsTrue(report.GetProperty("forwarded").GetBoolean());
        Assert.IsFalse(report.GetProperty("action_taken").GetBoolean());
        Assert.AreEqual(JsonValueKind.Null, report.GetProperty("action_taken_at").ValueKind);
        Assert.AreEqual(JsonValueKind.Null, report.GetProperty("rule_ids").ValueKind);
        Assert.AreEqual(statusId, report.GetProperty("status_ids")[0].GetString());
        Assert.AreEqual(RemoteAccountIds.For(spammer.Id), report.GetProperty("target_account").GetProperty("id").GetString());

        var flag = await Eventually.ValueAsync(
            () => Task.FromResult(Peer.PostsTo("/inbox").Skip(before).Select(p => JsonNode.Parse(p.BodyText)!).FirstOrDefault(a => (string?)a["type"] == "Flag")),
            f => f is not null, "the Flag reaching the reported account's server");
        Assert.AreEqual($"{Instance.BaseUrl}/actor", (string?)flag!["actor"], "forwarded anonymously, as the instance");
        Assert.AreEqual("Advertising in replies to the flood warning", (string?)flag["content"]);
        CollectionAssert.AreEqual(new[] { spammer.Id, noteId }, flag["object"]!.AsArray().Select(n => (string?)n).ToArray(), "the account and its reported status");
        var signature = Peer.PostsTo("/inbox").Skip(before).First(p => p.BodyText.Contains("\"Flag\"", StringComparison.Ordinal)).Header("signature");
        StringAssert.Contains(signature, $"keyId=\"{Instance.BaseUrl}/actor#main-key\"");

        var stored = await Instance.Services.GetRequiredService<ReportStore>().GetAsync(report.GetProperty("id").GetString()!, CancellationToken.None);
        Assert.IsNotNull(stored, "kept for the operator (admin reports)");
        Assert.AreEqual(RemoteAccountIds.For(spammer.Id), stored.AccountIds.Single());
        Assert.AreEqual("spam", stored.Category);
        Assert.IsTrue(stored.Forwarded);
        Assert.IsNotNull(stored.ReporterAccountId);
    }

    [TestMethod]
    public async Task Without_forward_nothing_leaves_the_instance_and_a_local_account_is_never_forwarded()
    {
        var (quiet, token) = await AccountAsync("quiet" + Next());
        var (local, _) = await AccountAsync("local" + Next());
        var (spammer, _, _) = await RemotePostAsync("More spam", quiet);
        var before = Peer.PostsTo("/inbox").Count;

        var (remoteStatus, remote) = await SendAsync(HttpMethod.Post, "/api/v1/reports", token, new FormUrlEncodedContent([new("account_id", RemoteAccountIds.For(spammer.Id)), new("comment", "spam")]));
        var (localStatus, localReport) = await SendAsync(HttpMethod.Post, "/api/v1/reports", token, Json(new { account_id = local.Id, forward = true }));
        await WaitUntilQuietAsync();

        Assert.AreEqual(HttpStatusCode.OK, remoteStatus, remote.ToString());
        Assert.IsFalse(remote.GetProperty("forwarded").GetBoolean());
        Assert.AreEqual("other", remote.GetProperty("category").GetString(), "Mastodon's default category");
        Assert.AreEqual(HttpStatusCode.OK, localStatus, localReport.ToString());
        Assert.IsFalse(localReport.GetProperty("forwarded").GetBoolean(), "a local account has no other server to tell");
        Assert.AreEqual(JsonValueKind.Null, localReport.GetProperty("status_ids").ValueKind);
        Assert.AreEqual(before, Peer.PostsTo("/inbox").Count, "no Flag without forward");
    }

    [TestMethod]
    public async Task Hostile_reports_get_Mastodons_errors_and_store_nothing()
    {
        var (me, token) = await AccountAsync("hostile" + Next());
        var (_, readOnly) = await Api.AccountAsync("readonly" + Next(), "read");
        var (target, targetToken) = await AccountAsync("target" + Next());
        var (_, otherToken) = await AccountAsync("other" + Next());
        var othersPost = await PostAsync(otherToken, "not the target's");
        var targetsPost = await PostAsync(targetToken, "the target's");
        var store = Instance.Services.GetRequiredService<ReportStore>();
        var before = (await store.ListAsync(1000, CancellationToken.None)).Count;

        (HttpStatusCode Status, JsonElement Body)[] refused =
        [
            await SendAsync(HttpMethod.Post, "/api/v1/reports", token, Json(new { comment = "no account" })),
            await SendAsync(HttpMethod.Post, "/api/v1/reports", token, Json(new { account_id = target.Id, comment = new string('x', 1001) })),
            await SendAsync(HttpMethod.Post, "/api/v1/reports", token, Json(new { account_id = target.Id, category = "treason" })),
            await SendAsync(HttpMethod.Post, "/api/v1/reports", token, Json(new { account_id = target.Id, rule_ids = new[] { "1" } })),
            await SendAsync(HttpMethod.Post, "/api/v1/reports", token, Json(new { account_id = me.Id })),
            await SendAsync(HttpMethod.Post, "/api/v1/reports", token, Json(new { account_id = target.Id, status_ids = Enumerable.Range(0, 101).Select(i => targetsPost).ToArray() })),
        ];
        (HttpStatusCode Status, JsonElement Body)[] notFound =
        [
            await SendAsync(HttpMethod.Post, "/api/v1/reports", token, Json(new { account_id = "123456789012345678" })),
            await SendAsync(HttpMethod.Post, "/api/v1/reports", token, Json(new { account_id = target.Id, status_ids = new[] { othersPost } })),
            await SendAsync(HttpMethod.Post, "/api/v1/reports", token, Json(new { account_id = target.Id, status_ids = new[] { targetsPost, "999999999999999999" } })),
            await SendAsync(HttpMethod.Post, "/api/v1/reports", token, Json(new { account_id = "../../admin" })),
        ];
        var noScope = await SendAsync(HttpMethod.Post, "/api/v1/reports", readOnly, Json(new { account_id = target.Id }));
        var anonymous = await SendAsync(HttpMethod.Post, "/api/v1/reports", null, Json(new { account_id = target.Id }));

        foreach (var (status, body) in refused)
        {
            Assert.AreEqual(HttpStatusCode.UnprocessableEntity, status, body.ToString());
            Assert.AreEqual(JsonValueKind.String, body.GetProperty("error").ValueKind);
        }

        foreach (var (status, body) in notFound)
        {
            Assert.AreEqual(HttpStatusCode.NotFound, status, body.ToString());
            Assert.AreEqual("Record not found", body.GetProperty("error").GetString());
        }

        Assert.AreEqual(HttpStatusCode.Forbidden, noScope.Status);
        Assert.AreEqual(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.AreEqual(before, (await store.ListAsync(1000, CancellationToken.None)).Count, "nothing stored");
    }

    [TestMethod]
    public async Task Citing_a_rule_makes_a_violation_report()
    {
        await using var instance = await TestInstance.StartAsync(new Dictionary<string, string?> { ["Fedi:Rules"] = "Be civil.\nNo advertising." });
        var api = new MastodonApi.ApiTestClient(instance);
        var (_, token) = await api.AccountAsync("rules_reporter");
        var (target, _) = await api.AccountAsync("rules_target");

        var (status, report) = await api.SendAsync(HttpMethod.Post, "/api/v1/reports", token, Json(new { account_id = target.Id, category = "spam", rule_ids = new[] { "2" } }));
        var (unknown, _) = await api.SendAsync(HttpMethod.Post, "/api/v1/reports", token, Json(new { account_id = target.Id, rule_ids = new[] { "3" } }));

        Assert.AreEqual(HttpStatusCode.OK, status, report.ToString());
        Assert.AreEqual("violation", report.GetProperty("category").GetString(), "rules cited make a violation, as Mastodon");
        Assert.AreEqual("2", report.GetProperty("rule_ids")[0].GetString());
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, unknown);
    }

    /// <summary>A remote account on the peer with one public post addressed to <paramref name="addressee"/>, received here; the post's API id and ActivityPub id.</summary>
    private static async Task<(PeerActor Actor, string StatusId, string NoteId)> RemotePostAsync(string text, ServerlessFedi.Accounts.LocalAccount addressee)
    {
        var actor = Peer.AddActor("spam" + Next());
        var noteId = $"{actor.Id}/statuses/{Next()}";
        var note = Note(noteId, actor.Id, $"<p>{text}</p>");
        note["cc"] = new JsonArray(ActorUri(addressee));
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Create(actor, note), actor)).StatusCode);
        var store = Instance.Services.GetRequiredService<StatusStore>();
        var id = await Eventually.ValueAsync(() => store.GetIdByUriAsync(noteId, CancellationToken.None), i => i is not null, "the remote post arriving");
        return (actor, id!, noteId);
    }
}
