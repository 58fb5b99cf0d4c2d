using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.OAuth;

/// <summary>The login page and the authorization error pages in the language of the app's <c>lang</c> or the browser's <c>Accept-Language</c>.</summary>
[TestClass]
public sealed class LocalizedLoginTests
{
    private static TestInstance _instance = null!;
    private static OAuthClient _client = null!;
    private static RegisteredApp _app = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync(new Dictionary<string, string?> { ["Fedi:Languages"] = "en,de" });
        _client = new OAuthClient(_instance);
        await _instance.CreateAccountAsync("alice", displayName: "Alice Agency");
        _app = await _client.RegisterAsync();
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        _client.Dispose();
        await _instance.DisposeAsync();
    }

    private static Task<(HttpResponseMessage Response, IHtmlDocument Document)> GetAsync(string path, string? acceptLanguage = null) =>
        Web.WebFixture.GetPageAsync(_instance, path, acceptLanguage);

    [TestMethod]
    public async Task The_apps_lang_parameter_gives_a_German_login_page()
    {
        var (response, doc) = await GetAsync(OAuthClient.AuthorizePath(_app) + "&lang=de", "en");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("de", doc.DocumentElement.GetAttribute("lang"));
        Assert.AreEqual("Agency App autorisieren", doc.QuerySelector("h1")!.TextContent);
        Assert.AreEqual("Benutzername oder E-Mail-Adresse", doc.QuerySelector("label[for=username]")!.TextContent);
        Assert.AreEqual("Passwort", doc.QuerySelector("label[for=password]")!.TextContent);
        Assert.AreEqual("Autorisieren", doc.QuerySelector("form button")!.TextContent);
        StringAssert.Contains(doc.QuerySelector("main p")!.TextContent, "bittet um Zugriff auf Ihr Konto");
        Assert.AreEqual("Agency App", doc.QuerySelector("main p strong")!.TextContent);
    }

    [TestMethod]
    public async Task Without_lang_the_login_page_follows_Accept_Language()
    {
        var (_, german) = await GetAsync(OAuthClient.AuthorizePath(_app), "de-DE,de;q=0.9");
        var (_, english) = await GetAsync(OAuthClient.AuthorizePath(_app));

        Assert.AreEqual("de", german.DocumentElement.GetAttribute("lang"));
        Assert.AreEqual("Anmelden", german.QuerySelector("main h2:last-of-type")!.TextContent);
        Assert.AreEqual("en", english.DocumentElement.GetAttribute("lang"));
        Assert.AreEqual("Authorize Agency App", english.QuerySelector("h1")!.TextContent);
    }

    [TestMethod]
    public async Task A_wrong_password_is_reported_in_the_login_pages_language()
    {
        var form = await _client.OpenAsync(OAuthClient.AuthorizePath(_app) + "&lang=de");

        using var response = await _client.SubmitAsync(form, "alice", "not-the-password");
        var doc = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.AreEqual("de", doc.DocumentElement.GetAttribute("lang"));
        Assert.AreEqual("Falscher Benutzername oder falsches Passwort.", doc.QuerySelector("#login-error")!.TextContent);
    }

    [TestMethod]
    public async Task Authorization_error_pages_are_translated()
    {
        var (unknownApp, unknownDoc) = await GetAsync("/oauth/authorize?response_type=code&client_id=nope&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback", "de");
        var (badScope, badScopeDoc) = await GetAsync(OAuthClient.AuthorizePath(_app, scope: "admin:everything") + "&lang=de");

        Assert.AreEqual(HttpStatusCode.BadRequest, unknownApp.StatusCode);
        Assert.AreEqual("de", unknownDoc.DocumentElement.GetAttribute("lang"));
        Assert.AreEqual("Unbekannte Anwendung", unknownDoc.QuerySelector("h1")!.TextContent);
        Assert.AreEqual(HttpStatusCode.BadRequest, badScope.StatusCode);
        Assert.AreEqual("Ungültige Berechtigungen", badScopeDoc.QuerySelector("h1")!.TextContent);
    }
}
