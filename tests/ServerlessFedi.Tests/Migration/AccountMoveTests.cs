using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Functions.Admin;
using ServerlessFedi.Migration;
using ServerlessFedi.Tests.Federation;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.MastodonApi;

namespace ServerlessFedi.Tests.Migration;

/// <summary>Aliases, inbound and outbound <c>Move</c> against the running instance and a fake peer; the CLI runs on the instance's storage.</summary>
[TestClass]
public sealed class AccountMoveTests : FederationTest<AccountMoveTests>
{
    private static async Task<(int Exit, string Stdout, string Stderr)> AdminAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await AdminCli.RunAsync(args, TestStorage.Configuration(Instance.Prefix, Instance.BaseUrl), stdout, stderr, new StringReader(""));
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static async Task<LocalAccount> ReloadAsync(LocalAccount account) => (await Instance.Accounts.GetByIdAsync(account.Id))!;

    private static JsonObject MoveOf(PeerActor actor, string objectId, string target)
    {
        var move = Activity(actor, "Move", objectId);
        move["target"] = target;
        return move;
    }

    private static async Task<bool> FollowsAsync(string token, string accountId) =>
        (await GetAsync($"/api/v1/accounts/relationships?id[]={accountId}", token)).Body[0].GetProperty("following").GetBoolean();

    [TestMethod]
    public async Task An_alias_is_published_in_the_actor_and_an_Update_and_one_that_does_not_resolve_is_refused()
    {
        var (alice, _) = await AccountAsync("aliased");
        var follower = Peer.AddActor("aliasfan" + Next());
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync($"/users/{alice.Username}/inbox", Activity(follower, "Follow", ActorUri(alice)), follower)).StatusCode);
        await WaitUntilQuietAsync();
        var old = Peer.AddActor("aliasold" + Next());

        var unresolvable = await AdminAsync("account", "alias", "add", "--username", alice.Username, "--alias", "@ghost@nowhere.invalid");
        var garbage = await AdminAsync("account", "alias", "add", "--username", alice.Username, "--alias", "not a handle");
        var self = await AdminAsync("account", "alias", "add", "--username", alice.Username, "--alias", "@" + alice.Username);
        var added = await AdminAsync("account", "alias", "add", "--username", alice.Username, "--alias", old.Id);

        Assert.AreEqual(1, unresolvable.Exit);
        StringAssert.Contains(unresolvable.Stderr, "could not be resolved");
        Assert.AreEqual(1, garbage.Exit);
        Assert.AreEqual(1, self.Exit);
        StringAssert.Contains(self.Stderr, "its own alias");
        Assert.AreEqual(0, added.Exit, added.Stderr);
        CollectionAssert.AreEqual(new[] { old.Id }, (await ReloadAsync(alice)).AlsoKnownAs.ToArray(), "only the alias that resolved is stored");
        var actor = await GetJsonAsync($"/users/{alice.Username}");
        Assert.AreEqual(old.Id, actor.GetProperty("alsoKnownAs")[0].GetString());
        var update = await ApiTestClient.ReceivedAsync(Peer, "/inbox", "Update", a => (string?)a["actor"] == ActorUri(alice) && a["object"]?["alsoKnownAs"] is JsonArray, "the Update with the alias");
        Assert.AreEqual(old.Id, (string?)update!["object"]!["alsoKnownAs"]![0]);
        StringAssert.Contains((await AdminAsync("account", "alias", "list", "--username", alice.Username)).Stdout, old.Id);

        var removed = await AdminAsync("account", "alias", "remove", "--username", alice.Username, "--alias", old.Id);
        Assert.AreEqual(0, removed.Exit, removed.Stderr);
        Assert.IsEmpty((await ReloadAsync(alice)).AlsoKnownAs);
        Assert.IsFalse((await GetJsonAsync($"/users/{alice.Username}")).TryGetProperty("alsoKnownAs", out _));
    }

    [TestMethod]
    public async Task An_inbound_Move_to_a_local_account_that_aliases_the_old_one_moves_the_local_followers()
    {
        var (bob, token) = await AccountAsync("movefan");
        var (carol, _) = await AccountAsync("movetarget");
        var old = Peer.AddActor("movesource" + Next());
        await FollowRemoteAsync(bob, token, old);
        Assert.IsTrue((await Instance.Services.GetRequiredService<AccountMigration>().AddAliasAsync(carol.Username, old.Id, CancellationToken.None)).Succeeded);

        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", MoveOf(old, old.Id, ActorUri(carol)), old)).StatusCode);

        await Eventually.TrueAsync(() => FollowsAsync(token, carol.Id), "bob following carol");
        await ApiTestClient.ReceivedAsync(Peer, old.InboxPath, "Undo", a => (string?)a["object"]?["type"] == "Follow" && (string?)a["actor"] == ActorUri(bob), "the Undo(Follow) of the old account");
        await Eventually.TrueAsync(async () => !await FollowsAsync(token, RemoteAccountIds.For(old.Id)), "bob no longer following the old account");
        var shown = (await GetAsync($"/api/v1/accounts/{RemoteAccountIds.For(old.Id)}", token)).Body;
        Assert.AreEqual(carol.Id, shown.GetProperty("moved").GetProperty("id").GetString(), "the old account shows where it moved");
        Assert.AreEqual(1, (await ReloadAsync(carol)).FollowersCount);
    }

    [TestMethod]
    public async Task A_Move_to_a_target_without_the_alias_or_of_another_actor_changes_nothing()
    {
        var (bob, token) = await AccountAsync("stayfan");
        var (carol, _) = await AccountAsync("noalias");
        var old = Peer.AddActor("staysource" + Next());
        var mallory = Peer.AddActor("stayevil" + Next());
        await FollowRemoteAsync(bob, token, old);

        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", MoveOf(old, old.Id, ActorUri(carol)), old)).StatusCode);
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", MoveOf(mallory, old.Id, ActorUri(carol)), mallory)).StatusCode);
        await WaitUntilQuietAsync();

        Assert.IsTrue(await FollowsAsync(token, RemoteAccountIds.For(old.Id)), "bob still follows the old account");
        Assert.IsFalse(await FollowsAsync(token, carol.Id));
        Assert.IsFalse((await GetAsync($"/api/v1/accounts/{RemoteAccountIds.For(old.Id)}", token)).Body.TryGetProperty("moved", out _));

        // The refusal held nothing back: once carol names the old account, its Move goes through.
        await Instance.Services.GetRequiredService<AccountMigration>().AddAliasAsync(carol.Username, old.Id, CancellationToken.None);
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", MoveOf(old, old.Id, ActorUri(carol)), old)).StatusCode);
        await Eventually.TrueAsync(() => FollowsAsync(token, carol.Id), "bob following carol after the valid Move");
    }

    [TestMethod]
    public async Task A_Move_loop_is_applied_once_per_cooldown()
    {
        var (bob, token) = await AccountAsync("loopfan");
        var a = Peer.AddActor("loopa" + Next());
        var b = ServeActor("loopb" + Next(), a.Id);
        await FollowRemoteAsync(bob, token, a);

        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", MoveOf(a, a.Id, b.Id), a)).StatusCode);
        await ApiTestClient.ReceivedAsync(Peer, b.InboxPath, "Follow", f => (string?)f["actor"] == ActorUri(bob), "bob's Follow of b");
        await WaitUntilQuietAsync();

        // a moves back to a second account that aliases it, and repeats its first Move: both within the cooldown.
        var c = ServeActor("loopc" + Next(), a.Id);
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", MoveOf(a, a.Id, c.Id), a)).StatusCode);
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", MoveOf(a, a.Id, b.Id), a)).StatusCode);
        await WaitUntilQuietAsync();

        Assert.IsEmpty(Peer.PostsTo(c.InboxPath), "no Follow of the second target");
        Assert.HasCount(1, Peer.PostsTo(b.InboxPath).Where(p => p.BodyText.Contains("\"Follow\"", StringComparison.Ordinal)).ToList(), "b got one Follow");
    }

    [TestMethod]
    public async Task An_outbound_move_needs_the_alias_then_sends_Move_to_followers_and_moves_local_ones()
    {
        var (alice, _) = await AccountAsync("leaver");
        var (dave, daveToken) = await AccountAsync("leaverfan");
        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{alice.Id}/follow", daveToken)).Status);
        var follower = Peer.AddActor("leaverremote" + Next());
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync($"/users/{alice.Username}/inbox", Activity(follower, "Follow", ActorUri(alice)), follower)).StatusCode);
        await WaitUntilQuietAsync();

        var stranger = ServeActor("notaliasing" + Next());
        var refused = await AdminAsync("account", "move", "--username", alice.Username, "--to", stranger.Id);
        var unknown = await AdminAsync("account", "move", "--username", alice.Username, "--to", "@nobody@nowhere.invalid");
        Assert.AreEqual(1, refused.Exit);
        StringAssert.Contains(refused.Stderr, "does not list");
        Assert.AreEqual(1, unknown.Exit);
        Assert.IsNull((await ReloadAsync(alice)).MovedTo, "a refused move changes nothing");

        var successor = ServeActor("successor" + Next(), ActorUri(alice));
        var moved = await AdminAsync("account", "move", "--username", alice.Username, "--to", successor.Id);

        Assert.AreEqual(0, moved.Exit, moved.Stderr);
        Assert.AreEqual(successor.Id, (await GetJsonAsync($"/users/{alice.Username}")).GetProperty("movedTo").GetString());
        var move = await ApiTestClient.ReceivedAsync(Peer, "/inbox", "Move", m => (string?)m["actor"] == ActorUri(alice), "the Move at the follower's server");
        Assert.AreEqual(ActorUri(alice), (string?)move!["object"]);
        Assert.AreEqual(successor.Id, (string?)move["target"]);
        await ApiTestClient.ReceivedAsync(Peer, successor.InboxPath, "Follow", f => (string?)f["actor"] == ActorUri(dave), "dave's Follow of the new account");
        var shown = (await GetAsync($"/api/v1/accounts/{alice.Id}", daveToken)).Body;
        Assert.AreEqual(successor.Id, shown.GetProperty("moved").GetProperty("uri").GetString());
        var page = await (await Instance.Http.GetAsync($"/@{alice.Username}")).Content.ReadAsStringAsync();
        StringAssert.Contains(page, successor.Id);
    }
}
