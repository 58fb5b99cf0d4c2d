using System.Net;
using System.Text.Json;
using ServerlessFedi.Accounts;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.WebFinger;

/// <summary>RFC 7033 WebFinger and host-meta over real HTTP against the standalone host.</summary>
[TestClass]
public sealed class WebFingerTests
{
    private static TestInstance _instance = null!;
    private static string _domain = "";

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        _domain = new Uri(_instance.BaseUrl).Authority;
        await _instance.CreateAccountAsync("alice", ActorType.Organization, "Alice Agency");
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    private static async Task<(HttpResponseMessage Response, JsonElement Body)> Finger(string resource)
    {
        var response = await _instance.Http.GetAsync("/.well-known/webfinger?resource=" + Uri.EscapeDataString(resource));
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement);
    }

    [TestMethod]
    public async Task An_acct_resource_gives_the_JRD_with_self_profile_and_subscribe_links()
    {
        var (response, jrd) = await Finger($"acct:alice@{_domain}");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("application/jrd+json", response.Content.Headers.ContentType!.MediaType);
        Assert.AreEqual("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.AreEqual($"acct:alice@{_domain}", jrd.GetProperty("subject").GetString());
        var links = jrd.GetProperty("links").EnumerateArray().ToList();
        var self = links.Single(l => l.GetProperty("rel").GetString() == "self");
        Assert.AreEqual("application/activity+json", self.GetProperty("type").GetString());
        Assert.AreEqual($"{_instance.BaseUrl}/users/alice", self.GetProperty("href").GetString());
        Assert.AreEqual($"{_instance.BaseUrl}/@alice", links.Single(l => l.GetProperty("rel").GetString() == "http://webfinger.net/rel/profile-page").GetProperty("href").GetString());
        Assert.AreEqual($"{_instance.BaseUrl}/authorize_interaction?uri={{uri}}", links.Single(l => l.GetProperty("rel").GetString() == "http://ostatus.org/schema/1.0/subscribe").GetProperty("template").GetString());
    }

    [TestMethod]
    [DataRow("acct:ALICE@{0}")]
    [DataRow("alice@{0}")]
    [DataRow("@alice@{0}")]
    [DataRow("{1}/users/alice")]
    [DataRow("{1}/@alice")]
    public async Task Other_forms_of_the_resource_find_the_same_account(string template)
    {
        var (response, jrd) = await Finger(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, _domain, _instance.BaseUrl));

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual($"acct:alice@{_domain}", jrd.GetProperty("subject").GetString());
    }

    [TestMethod]
    [DataRow("acct:nobody@{0}")]
    [DataRow("acct:alice@other.example")]
    [DataRow("https://other.example/users/alice")]
    [DataRow("{1}/users/alice/followers")]
    public async Task Resources_that_are_not_ours_give_404(string template)
    {
        var (response, body) = await Finger(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, _domain, _instance.BaseUrl));

        Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
        Assert.IsTrue(body.TryGetProperty("error", out _));
    }

    [TestMethod]
    [DataRow("acct:")]
    [DataRow("acct:alice")]
    [DataRow("acct:@example.test")]
    [DataRow(":::")]
    [DataRow("ftp://example.test/alice")]
    [DataRow("acct:al ice@example.test")]
    public async Task Malformed_resources_give_400(string resource)
    {
        var (response, body) = await Finger(resource);

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.IsTrue(body.TryGetProperty("error", out _));
    }

    [TestMethod]
    public async Task A_missing_or_repeated_resource_gives_400()
    {
        Assert.AreEqual(HttpStatusCode.BadRequest, (await _instance.Http.GetAsync("/.well-known/webfinger")).StatusCode);
        Assert.AreEqual(HttpStatusCode.BadRequest, (await _instance.Http.GetAsync($"/.well-known/webfinger?resource=acct:alice@{_domain}&resource=acct:bob@{_domain}")).StatusCode);
        Assert.AreEqual(HttpStatusCode.BadRequest, (await _instance.Http.GetAsync("/.well-known/webfinger?resource=" + new string('a', 600))).StatusCode);
    }

    [TestMethod]
    public async Task The_instance_actor_is_found_by_the_domain_as_username()
    {
        var (response, jrd) = await Finger($"acct:{_domain}@{_domain}");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        var self = jrd.GetProperty("links").EnumerateArray().Single(l => l.GetProperty("rel").GetString() == "self");
        Assert.AreEqual($"{_instance.BaseUrl}/actor", self.GetProperty("href").GetString());
    }

    [TestMethod]
    public async Task Host_meta_points_at_WebFinger_in_XRD_and_JSON()
    {
        var xrd = await _instance.Http.GetAsync("/.well-known/host-meta");
        var json = await _instance.Http.GetAsync("/.well-known/host-meta.json");

        Assert.AreEqual("application/xrd+xml", xrd.Content.Headers.ContentType!.MediaType);
        var doc = System.Xml.Linq.XDocument.Parse(await xrd.Content.ReadAsStringAsync());
        var link = doc.Root!.Elements().Single();
        Assert.AreEqual("lrdd", link.Attribute("rel")!.Value);
        Assert.AreEqual($"{_instance.BaseUrl}/.well-known/webfinger?resource={{uri}}", link.Attribute("template")!.Value);
        var jsonLink = JsonDocument.Parse(await json.Content.ReadAsStringAsync()).RootElement.GetProperty("links")[0];
        Assert.AreEqual($"{_instance.BaseUrl}/.well-known/webfinger?resource={{uri}}", jsonLink.GetProperty("template").GetString());
    }
}
