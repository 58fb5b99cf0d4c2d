using System.Net;
using System.Text.Json;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.WebFinger;

/// <summary>Handles at <c>Fedi__AccountDomain</c> while the instance is served elsewhere (Mastodon's LOCAL_DOMAIN/WEB_DOMAIN).</summary>
[TestClass]
public sealed class AccountDomainTests
{
    [TestMethod]
    public async Task Handles_use_the_account_domain_and_the_web_domain_still_resolves()
    {
        await using var instance = await TestInstance.StartAsync(new Dictionary<string, string?> { ["Fedi:AccountDomain"] = "example.gov" });
        await instance.CreateAccountAsync("alice");
        var webDomain = new Uri(instance.BaseUrl).Authority;

        var byAccountDomain = await instance.Http.GetAsync("/.well-known/webfinger?resource=acct:alice@example.gov");
        var byWebDomain = await instance.Http.GetAsync($"/.well-known/webfinger?resource=acct:alice@{webDomain}");

        Assert.AreEqual(HttpStatusCode.OK, byAccountDomain.StatusCode);
        Assert.AreEqual(HttpStatusCode.OK, byWebDomain.StatusCode);
        var jrd = JsonDocument.Parse(await byAccountDomain.Content.ReadAsStringAsync()).RootElement;
        Assert.AreEqual("acct:alice@example.gov", jrd.GetProperty("subject").GetString());
        Assert.AreEqual($"{instance.BaseUrl}/users/alice", jrd.GetProperty("links").EnumerateArray().Single(l => l.GetProperty("rel").GetString() == "self").GetProperty("href").GetString());
    }
}
