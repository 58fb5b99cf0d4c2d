using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Federation;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary><c>GET /api/v1/accounts/familiar_followers</c> (docs: methods/accounts#familiar_followers, entities/FamiliarFollowers).</summary>
[TestClass]
public sealed class FamiliarFollowersTests
{
    [TestMethod]
    public async Task Familiar_followers_are_the_followers_the_viewer_follows_of_local_and_remote_accounts()
    {
        await using var g = await GoldenInstance.StartAsync();
        var (_, aliceToken) = await g.AccountAsync("alice", "Alice Agency");
        var (bob, bobToken) = await g.AccountAsync("bob", "Bob Borough");
        var (carol, carolToken) = await g.AccountAsync("carol", "Carol County");
        var (dave, daveToken) = await g.AccountAsync("dave");
        var remote = new RemoteActor(
            "https://remote.example/users/erin", "Person", "erin", "Erin", "https://remote.example/users/erin/inbox", null,
            null, null, null, null, null, g.Time.GetUtcNow());
        await g.Services.GetRequiredService<RemoteActorStore>().PutAsync(remote, CancellationToken.None);
        var erinId = (await g.Services.GetRequiredService<RemoteActorStore>().GetAsync(remote.Id, CancellationToken.None))!.AccountId;

        // alice follows bob and carol; bob and carol follow dave; only bob follows erin; dave follows nobody alice follows.
        await g.DoAsync(HttpMethod.Post, $"/api/v1/accounts/{bob.Id}/follow", aliceToken);
        await g.DoAsync(HttpMethod.Post, $"/api/v1/accounts/{carol.Id}/follow", aliceToken);
        await g.DoAsync(HttpMethod.Post, $"/api/v1/accounts/{dave.Id}/follow", bobToken);
        await g.DoAsync(HttpMethod.Post, $"/api/v1/accounts/{dave.Id}/follow", carolToken);
        await g.DoAsync(HttpMethod.Post, $"/api/v1/accounts/{carol.Id}/follow", daveToken);
        await g.Services.GetRequiredService<FollowingStore>().AddAsync(bob.Id, remote.Id, erinId, $"{GoldenInstance.BaseUrl}/follows/1", accepted: true, CancellationToken.None);

        var answer = await g.GetAsync("familiar-followers", $"/api/v1/accounts/familiar_followers?id[]={dave.Id}&id[]={erinId}&id[]={carol.Id}&id[]=123456789012345678", aliceToken);

        Assert.AreEqual(3, answer.GetArrayLength(), "unknown ids are left out, the others answered in the order asked");
        Assert.AreEqual(dave.Id, answer[0].GetProperty("id").GetString());
        CollectionAssert.AreEquivalent(new[] { bob.Id, carol.Id }, answer[0].GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("id").GetString()).ToList());
        Assert.AreEqual(erinId, answer[1].GetProperty("id").GetString());
        CollectionAssert.AreEqual(new[] { bob.Id }, answer[1].GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("id").GetString()).ToList());
        Assert.AreEqual(0, answer[2].GetProperty("accounts").GetArrayLength(), "dave follows carol, but alice does not follow dave");
    }

    [TestMethod]
    public async Task Familiar_followers_need_a_token_with_read_follows()
    {
        await using var g = await GoldenInstance.StartAsync();
        var (bob, _) = await g.AccountAsync("bob");
        var (_, writeOnly) = await g.AccountAsync("alice", null, "write");

        using var anonymous = await g.SendAsync(HttpMethod.Get, $"/api/v1/accounts/familiar_followers?id[]={bob.Id}");
        using var noScope = await g.SendAsync(HttpMethod.Get, $"/api/v1/accounts/familiar_followers?id[]={bob.Id}", writeOnly);

        Assert.AreEqual(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.AreEqual(HttpStatusCode.Forbidden, noScope.StatusCode);
    }
}
