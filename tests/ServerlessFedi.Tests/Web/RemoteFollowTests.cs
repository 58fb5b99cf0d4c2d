using System.Net;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Web;

namespace ServerlessFedi.Tests.Web;

/// <summary>The remote-follow aid sends citizens to their own server's authorize_interaction page, only from its form, and nowhere else.</summary>
[TestClass]
public sealed class RemoteFollowTests
{
    private static TestInstance _instance = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        await _instance.CreateAccountAsync("alice", displayName: "Alice Agency");
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    [TestMethod]
    [DataRow("mastodon.example", "mastodon.example")]
    [DataRow("Mastodon.Example", "mastodon.example")]
    [DataRow("@citizen@social.example.org", "social.example.org")]
    [DataRow("citizen@social.example.org", "social.example.org")]
    [DataRow("  @citizen@social.example.org  ", "social.example.org")]
    [DataRow("https://mastodon.example", "mastodon.example")]
    [DataRow("https://mastodon.example/", "mastodon.example")]
    [DataRow("xn--bcher-kva.example", "xn--bcher-kva.example")]
    public void Servers_and_handles_give_the_server_host(string input, string host) =>
        Assert.AreEqual(host, RemoteFollowTarget.ParseHost(input));

    [TestMethod]
    [DataRow("")]
    [DataRow("javascript:alert(1)")]
    [DataRow("JaVaScRiPt:alert(1)//.example")]
    [DataRow("data:text/html,<script>alert(1)</script>")]
    [DataRow("//evil.example")]
    [DataRow("///evil.example")]
    [DataRow("\\\\evil.example")]
    [DataRow("http://mastodon.example")]
    [DataRow("https://mastodon.example/path")]
    [DataRow("https://user:pass@evil.example")]
    [DataRow("@user@host.example/path")]
    [DataRow("@user@host.example?x=1")]
    [DataRow("@user@host.example#frag")]
    [DataRow("mastodon.example:8443")]
    [DataRow("mastodon.example\r\nSet-Cookie: a=b")]
    [DataRow("mastodon.example%0d%0aLocation:%20https://evil.example")]
    [DataRow("evil.example\u0000.good.example")]
    [DataRow("127.0.0.1")]
    [DataRow("[::1]")]
    [DataRow("localhost")]
    [DataRow("@@host.example")]
    [DataRow("a@b@host.example")]
    [DataRow("user name@host.example")]
    [DataRow("-bad.example")]
    [DataRow("bad-.example")]
    [DataRow("host..example")]
    [DataRow(".example")]
    [DataRow("bücher.example")]
    public void Anything_else_is_refused(string input) =>
        Assert.IsNull(RemoteFollowTarget.ParseHost(input), input);

    [TestMethod]
    public void Overlong_input_is_refused() =>
        Assert.IsNull(RemoteFollowTarget.ParseHost(new string('a', 250) + "." + new string('b', 60) + ".example"));

    [TestMethod]
    public async Task The_submitted_form_redirects_a_valid_handle_to_the_citizens_server()
    {
        var response = await PostAsync("@citizen@social.example.org");

        Assert.AreEqual(HttpStatusCode.Found, response.StatusCode);
        Assert.AreEqual(
            $"https://social.example.org/authorize_interaction?uri={Uri.EscapeDataString(_instance.BaseUrl + "/users/alice")}",
            response.Headers.Location!.OriginalString);
        Assert.IsTrue(response.Headers.CacheControl!.NoStore);
        Assert.IsFalse(response.Headers.Contains("Set-Cookie"));
    }

    /// <summary>
    /// A link on the agency's domain never sends a citizen to another site (GAP-3): a GET with a valid server shows the form
    /// filled in, and only pressing its button (a POST, which no link can make) leaves the site.
    /// </summary>
    [TestMethod]
    [DataRow("evil.example")]
    [DataRow("%40citizen%40phishing.example")]
    [DataRow("https%3A%2F%2Fphishing.example%2F")]
    public async Task A_link_with_a_valid_server_shows_the_form_and_never_redirects(string acct)
    {
        var (response, doc) = await WebFixture.GetPageAsync(_instance, $"/@alice/remote_follow?acct={acct}");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.IsNull(response.Headers.Location);
        Assert.IsNull(doc.QuerySelector("[role=alert]"));
        var form = doc.QuerySelector("form")!;
        Assert.AreEqual("post", form.GetAttribute("method"));
        Assert.AreEqual($"{_instance.BaseUrl}/@alice/remote_follow", form.GetAttribute("action"));
        Assert.AreEqual(Uri.UnescapeDataString(acct), doc.QuerySelector("input#remote-acct")!.GetAttribute("value"));
        PublicPagesTests.AssertAccessibleStructure(doc);
    }

    [TestMethod]
    [DataRow("javascript:alert(1)")]
    [DataRow("//evil.example")]
    [DataRow("https://evil.example/phish")]
    [DataRow("mastodon.example\r\nSet-Cookie: a=b")]
    [DataRow("")]
    public async Task A_submitted_form_with_hostile_input_is_refused_with_the_form_and_a_reason(string acct)
    {
        var response = await PostAsync(acct);

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.IsNull(response.Headers.Location);
        Assert.IsFalse(response.Headers.Contains("Set-Cookie"));
        StringAssert.Contains(await response.Content.ReadAsStringAsync(), "role=\"alert\"");
    }

    [TestMethod]
    public async Task An_oversized_or_non_form_body_never_redirects()
    {
        using var big = new StringContent("acct=mastodon.example&pad=" + new string('x', 10_000), System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        using var json = new StringContent("{\"acct\":\"mastodon.example\"}", System.Text.Encoding.UTF8, "application/json");

        var oversized = await _instance.Http.PostAsync("/@alice/remote_follow", big);
        var notAForm = await _instance.Http.PostAsync("/@alice/remote_follow", json);

        Assert.AreEqual(HttpStatusCode.BadRequest, oversized.StatusCode);
        Assert.IsNull(oversized.Headers.Location);
        Assert.AreEqual(HttpStatusCode.BadRequest, notAForm.StatusCode);
        Assert.IsNull(notAForm.Headers.Location);
    }

    [TestMethod]
    [DataRow("javascript%3Aalert(1)")]
    [DataRow("%2F%2Fevil.example")]
    [DataRow("%40user%40host.example%2Fpath")]
    [DataRow("mastodon.example%0D%0ASet-Cookie%3A%20a%3Db")]
    [DataRow("https%3A%2F%2Fevil.example%2Fphish")]
    public async Task Hostile_input_is_refused_with_the_form_and_a_reason(string acct)
    {
        var (response, doc) = await WebFixture.GetPageAsync(_instance, $"/@alice/remote_follow?acct={acct}");

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.IsNull(response.Headers.Location);
        Assert.IsFalse(response.Headers.Contains("Set-Cookie"));
        Assert.IsNotNull(doc.QuerySelector("[role=alert]"));
        Assert.AreEqual("true", doc.QuerySelector("input#remote-acct")!.GetAttribute("aria-invalid"));
        Assert.AreEqual(Uri.UnescapeDataString(acct), doc.QuerySelector("input#remote-acct")!.GetAttribute("value"));
        PublicPagesTests.AssertAccessibleStructure(doc);
    }

    [TestMethod]
    public async Task Without_input_the_form_is_shown_and_unknown_accounts_are_404()
    {
        var (response, doc) = await WebFixture.GetPageAsync(_instance, "/@alice/remote_follow");
        var missing = await _instance.Http.GetAsync("/@nobody/remote_follow?acct=mastodon.example");
        using var form = new FormUrlEncodedContent([new("acct", "mastodon.example")]);
        var missingPost = await _instance.Http.PostAsync("/@nobody/remote_follow", form);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.IsNotNull(doc.QuerySelector("form input[name=acct]"));
        Assert.AreEqual(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.IsNull(missing.Headers.Location);
        Assert.AreEqual(HttpStatusCode.NotFound, missingPost.StatusCode);
        Assert.IsNull(missingPost.Headers.Location);
    }

    private static async Task<HttpResponseMessage> PostAsync(string acct)
    {
        using var form = new FormUrlEncodedContent([new("acct", acct)]);
        return await _instance.Http.PostAsync("/@alice/remote_follow", form);
    }
}
