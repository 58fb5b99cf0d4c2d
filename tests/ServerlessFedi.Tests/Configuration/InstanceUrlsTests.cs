using ServerlessFedi.Configuration;

namespace ServerlessFedi.Tests.Configuration;

/// <summary>Our own URLs read back: actor, profile, status id and page, and our activity ids; anything else is not ours.</summary>
[TestClass]
public sealed class InstanceUrlsTests
{
    private static readonly InstanceUrls Urls = new(new FediOptions { BaseUrl = "https://social.example.gov" });

    [TestMethod]
    public void Our_actor_and_profile_urls_name_their_username()
    {
        Assert.AreEqual("alice_1", Urls.UsernameOfActor(Urls.Actor("alice_1")));
        Assert.AreEqual("alice_1", Urls.UsernameOfProfile(Urls.Profile("alice_1")));
        Assert.AreEqual(Urls.Actor("alice"), Urls.ActorOfActivity($"{Urls.Actor("alice")}#follows/0123456789abcdef/1700000000000"));
    }

    [TestMethod]
    public void Our_status_ids_and_pages_name_the_status_and_its_author()
    {
        const string id = "117684648624352871";
        Assert.AreEqual(id, Urls.StatusIdOf(Urls.Status("alice", id)));
        Assert.AreEqual(("alice", id), Urls.StatusOf(Urls.Status("alice", id)));
        Assert.AreEqual(("alice", id), Urls.StatusOf(Urls.StatusPage("alice", id)));
        Assert.IsNull(Urls.StatusIdOf(Urls.StatusPage("alice", id)), "a page is not an ActivityPub id");
    }

    [TestMethod]
    [DataRow("https://other.example/users/alice")]
    [DataRow("https://social.example.gov.evil.example/users/alice")]
    [DataRow("http://social.example.gov/users/alice")]
    [DataRow("https://social.example.gov/users/alice/followers")]
    [DataRow("https://social.example.gov/users/alice#main-key")]
    [DataRow("https://social.example.gov/users/alice?x=1")]
    [DataRow("https://social.example.gov/users/al.ice")]
    [DataRow("https://social.example.gov/users/")]
    [DataRow("https://social.example.gov/actor")]
    [DataRow("https://social.example.gov/users/alice/statuses/12")]
    [DataRow("https://social.example.gov/users/alice/statuses/117684648624352871/activity")]
    [DataRow(null)]
    public void Urls_that_are_not_ours_or_not_that_shape_name_nothing(string? url)
    {
        Assert.IsNull(Urls.UsernameOfActor(url));
        Assert.IsNull(Urls.UsernameOfProfile(url));
        Assert.IsNull(Urls.StatusOf(url));
        Assert.IsNull(Urls.StatusIdOf(url));
    }

    [TestMethod]
    [DataRow("https://other.example/users/alice#follows/1")]
    [DataRow("https://social.example.gov/users/al.ice#follows/1")]
    [DataRow("https://social.example.gov/users/alice")]
    [DataRow("#follows/1")]
    [DataRow(null)]
    public void Activity_ids_not_made_by_our_actors_name_no_actor(string? id) => Assert.IsNull(Urls.ActorOfActivity(id));
}
