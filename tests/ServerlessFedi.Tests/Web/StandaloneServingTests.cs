using System.Net;
using AngleSharp.Html.Parser;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Web;

/// <summary>What the standalone host does around the functions, and the minimal profile page.</summary>
[TestClass]
public sealed class StandaloneServingTests
{
    private static TestInstance _instance = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        await _instance.CreateAccountAsync("alice", displayName: "<script>alert(1)</script> & Co");
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    [TestMethod]
    public async Task Health_answers_without_storage()
    {
        var response = await _instance.Http.GetAsync("/health");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("OK", await response.Content.ReadAsStringAsync());
    }

    [TestMethod]
    [DataRow("/nothing/here")]
    [DataRow("/admin")]
    [DataRow("/users/alice/likes")]
    public async Task Unrouted_paths_give_an_empty_404_as_the_host_does(string path)
    {
        var response = await _instance.Http.GetAsync(path);

        Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
        Assert.AreEqual("", await response.Content.ReadAsStringAsync());
    }

    [TestMethod]
    [DataRow("/api/v1/trends/nothing")]
    [DataRow("/api/v2/unknown")]
    public async Task Unknown_api_paths_get_a_JSON_404_never_HTML(string path)
    {
        var response = await _instance.Http.GetAsync(path);

        Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
        Assert.AreEqual("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.AreEqual("Record not found", System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [TestMethod]
    public async Task Browser_apps_get_a_CORS_preflight_answer_for_the_API_and_OAuth()
    {
        foreach (var path in new[] { "/api/v1/statuses", "/oauth/token" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, path);
            request.Headers.Add("Origin", "https://elk.example");
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "authorization, idempotency-key");

            var response = await _instance.Http.SendAsync(request);

            Assert.AreEqual(HttpStatusCode.NoContent, response.StatusCode, path);
            Assert.AreEqual("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
            StringAssert.Contains(response.Headers.GetValues("Access-Control-Allow-Headers").Single(), "Idempotency-Key");
            StringAssert.Contains(response.Headers.GetValues("Access-Control-Allow-Headers").Single(), "Authorization");
        }
    }

    [TestMethod]
    public async Task A_method_no_function_accepts_gives_404()
    {
        var response = await _instance.Http.PostAsync("/health", new StringContent(""));

        Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
    }

    [TestMethod]
    public async Task The_profile_page_escapes_the_display_name_and_loads_nothing_foreign()
    {
        var response = await _instance.Http.GetAsync("/@alice");
        var html = await response.Content.ReadAsStringAsync();
        var doc = new HtmlParser().ParseDocument(html);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.IsEmpty(doc.QuerySelectorAll("script"));
        Assert.AreEqual("<script>alert(1)</script> & Co", doc.QuerySelector("h1")!.TextContent);
        Assert.AreEqual("en", doc.DocumentElement.GetAttribute("lang"));
        Assert.IsNotNull(doc.QuerySelector("main"));
        Assert.AreEqual($"{_instance.BaseUrl}/users/alice", doc.QuerySelector("link[rel=alternate][type='application/activity+json']")!.GetAttribute("href"));
        StringAssert.Contains(response.Headers.GetValues("Content-Security-Policy").Single(), "default-src 'none'");
        Assert.IsFalse(response.Headers.Contains("Set-Cookie"));
    }

    [TestMethod]
    public async Task An_unknown_profile_gives_a_404_page()
    {
        var response = await _instance.Http.GetAsync("/@nobody");

        Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
        Assert.AreEqual("text/html", response.Content.Headers.ContentType!.MediaType);
    }
}
