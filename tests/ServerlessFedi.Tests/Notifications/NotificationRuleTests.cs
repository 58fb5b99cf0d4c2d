using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Notifications;
using ServerlessFedi.Tests.Federation;

namespace ServerlessFedi.Tests.Notifications;

/// <summary>
/// The one notification rule (issue 11, finding 10): nobody is notified by an account they block or mute, nor by a server
/// they blocked, whether the sender is local or remote and whatever the type; and listings hide what such senders caused
/// before. What was written is read from the store, what is shown from the v1 and v2 APIs.
/// </summary>
[TestClass]
public sealed class NotificationRuleTests : FederationTest<NotificationRuleTests>
{
    [TestMethod]
    [DataRow("block")]
    [DataRow("mute")]
    public async Task Favourites_boosts_and_mentions_by_a_local_account_the_recipient_blocks_or_mutes_do_not_notify(string relation)
    {
        var (bob, bobToken) = await AccountAsync("bob" + relation);
        var (alice, aliceToken) = await AccountAsync("alice" + relation);
        var post = await PostAsync(bobToken, "Our office opens at nine.");
        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{alice.Id}/{relation}", bobToken)).Status);

        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{post}/favourite", aliceToken)).Status);
        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{post}/reblog", aliceToken)).Status);
        await PostAsync(aliceToken, $"@{bob.Username} are you open on Saturday?");
        await WaitUntilQuietAsync();

        Assert.AreEqual(0, (await StoredAsync(bob)).Count, "nothing written");
        Assert.AreEqual(0, (await GetAsync("/api/v1/notifications", bobToken)).Body.GetArrayLength(), "nothing shown");
    }

    [TestMethod]
    [DataRow("block")]
    [DataRow("mute")]
    [DataRow("domain")]
    public async Task Likes_boosts_and_mentions_by_a_remote_actor_the_recipient_hides_do_not_notify(string relation)
    {
        var (bob, bobToken) = await AccountAsync("rbob" + relation);
        var post = await PostAsync(bobToken, "Consultation on the new cycle lanes.");
        var dan = Peer.AddActor("dan" + Next());
        await Api.FollowAsync(dan, bob); // caches dan's actor, so bob can name him by account id
        var hide = relation == "domain"
            ? await SendAsync(HttpMethod.Post, "/api/v1/domain_blocks", bobToken, Json(new { domain = new Uri(dan.Id).Host }))
            : await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{RemoteAccountIds.For(dan.Id)}/{relation}", bobToken);
        Assert.AreEqual(HttpStatusCode.OK, hide.Status);

        var announce = Activity(dan, "Announce", StatusUri(bob, post));
        announce["to"] = new JsonArray(Public);
        var mention = Create(dan, new JsonObject
        {
            ["id"] = $"{dan.Id}/statuses/{Next()}",
            ["type"] = "Note",
            ["attributedTo"] = dan.Id,
            ["inReplyTo"] = StatusUri(bob, post),
            ["to"] = new JsonArray(Public),
            ["cc"] = new JsonArray(ActorUri(bob)),
            ["content"] = "<p>@bob I have a question</p>",
            ["tag"] = new JsonArray(new JsonObject { ["type"] = "Mention", ["href"] = ActorUri(bob) }),
        });
        foreach (var activity in new[] { Activity(dan, "Like", StatusUri(bob, post)), announce, mention })
        {
            Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", activity, dan)).StatusCode);
        }

        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/statuses/{post}", bobToken)).Body.GetProperty("replies_count").GetInt32() == 1, "the reply stored");
        await WaitUntilQuietAsync();
        var stored = await StoredAsync(bob);
        Assert.IsFalse(stored.Any(n => n.Type is NotificationType.Favourite or NotificationType.Reblog or NotificationType.Mention), string.Join(", ", stored.Select(n => n.Type)));
        Assert.AreEqual(0, (await GetAsync("/api/v1/notifications", bobToken)).Body.GetArrayLength(), "nothing shown, the follow from before included");
    }

    [TestMethod]
    public async Task Notifications_from_an_account_blocked_afterwards_are_hidden_in_v1_and_v2_until_it_is_unblocked()
    {
        var (bob, bobToken) = await AccountAsync("laterbob");
        var erin = Peer.AddActor("erin" + Next());
        await Api.FollowAsync(erin, bob);
        var erinId = RemoteAccountIds.For(erin.Id);
        await Eventually.TrueAsync(async () => (await GetAsync("/api/v1/notifications", bobToken)).Body.GetArrayLength() == 1, "the follow notification");

        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{erinId}/block", bobToken)).Status);
        Assert.AreEqual(0, (await GetAsync("/api/v1/notifications", bobToken)).Body.GetArrayLength(), "v1 hides it");
        Assert.AreEqual(0, (await GetAsync("/api/v2/notifications", bobToken)).Body.GetProperty("notification_groups").GetArrayLength(), "v2 hides it");
        Assert.AreEqual(1, (await StoredAsync(bob)).Count, "it is kept");

        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{erinId}/unblock", bobToken)).Status);
        Assert.AreEqual(1, (await GetAsync("/api/v1/notifications", bobToken)).Body.GetArrayLength(), "shown again");
        Assert.AreEqual(1, (await GetAsync("/api/v2/notifications", bobToken)).Body.GetProperty("notification_groups").GetArrayLength());
    }

    [TestMethod]
    public async Task Acting_on_ones_own_post_notifies_nobody()
    {
        var (me, token) = await AccountAsync("selfish");
        var post = await PostAsync(token, "Note to self.");
        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{post}/favourite", token)).Status);
        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{post}/reblog", token)).Status);
        await PostAsync(token, $"@{me.Username} reminder");
        await WaitUntilQuietAsync();
        Assert.AreEqual(0, (await StoredAsync(me)).Count);
    }

    private static Task<IReadOnlyList<(string Id, NotificationType Type, string FromActorId, DateTimeOffset CreatedAt)>> StoredAsync(LocalAccount account) =>
        Instance.Services.GetRequiredService<NotificationStore>().ListAsync(account.Id, 40, CancellationToken.None);
}
