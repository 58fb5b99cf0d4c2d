using ServerlessFedi.Configuration;
using ServerlessFedi.Localization;
using ServerlessFedi.OAuth;

namespace ServerlessFedi.Tests.OAuth;

/// <summary>The login page's cookie on an https instance, and the CSP source that lets the post-login redirect through.</summary>
[TestClass]
public sealed class OAuthPagesTests
{
    private static AuthorizationRequest Request(string redirectUri) => new(
        new OAuthApplication("1", new string('c', 43), "App", null, ["read"], [redirectUri], "hash", DateTimeOffset.UnixEpoch),
        redirectUri, ["read"], "state", null, null, null);

    [TestMethod]
    public void On_https_the_CSRF_cookie_is_Host_prefixed_and_Secure()
    {
        var options = new FediOptions { BaseUrl = "https://social.example.gov" };
        var urls = new InstanceUrls(options);
        var languages = new PageLanguages(options, urls);
        var pages = new OAuthPages(urls, options, languages);

        var page = pages.Login(Request("https://app.example/cb"), new string('t', 43), languages.Default);

        Assert.AreEqual($"__Host-oauth_csrf={new string('t', 43)}; Path=/; HttpOnly; SameSite=Strict; Secure", page.Headers["Set-Cookie"]);
    }

    [TestMethod]
    [DataRow("https://app.example:8443/cb?x=1", "https://app.example:8443")]
    [DataRow("de.example.app://oauth/callback", "de.example.app:")]
    [DataRow("urn:ietf:wg:oauth:2.0:oob", null)]
    public void Form_action_allows_only_the_redirect_uris_origin(string redirectUri, string? expected)
    {
        Assert.AreEqual(expected, RedirectUriRules.FormActionSource(redirectUri));
    }
}
