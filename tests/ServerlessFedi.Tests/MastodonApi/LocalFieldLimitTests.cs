using System.Net;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>
/// What a token holder may store is bounded (the class of Mastodon GHSA-6x3w-9g92-gvf3, CVE-2026-23963: list and filter names
/// and filter keywords without a length limit): overlong values get 422 and nothing is created.
/// </summary>
[TestClass]
public sealed class LocalFieldLimitTests
{
    private static TestInstance _instance = null!;

    private static ApiTestClient Api => new(_instance);

    [ClassInitialize]
    public static async Task Start(TestContext _) => _instance = await TestInstance.StartAsync();

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    [TestMethod]
    public async Task Overlong_list_and_filter_titles_keywords_and_app_names_are_refused_and_create_nothing()
    {
        var (_, token) = await Api.AccountAsync("limits", "read", "write");
        var longText = new string('x', 100_000);

        var list = await Api.SendAsync(HttpMethod.Post, "/api/v1/lists", token, ApiTestClient.Json(new { title = longText }));
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, list.Status);
        var filterTitle = await Api.SendAsync(HttpMethod.Post, "/api/v2/filters", token, ApiTestClient.Json(new { title = longText, context = new[] { "home" } }));
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, filterTitle.Status);
        var keyword = await Api.SendAsync(HttpMethod.Post, "/api/v2/filters", token, ApiTestClient.Json(new { title = "x", context = new[] { "home" }, keywords_attributes = new[] { new { keyword = longText } } }));
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, keyword.Status);
        var app = await Api.SendAsync(HttpMethod.Post, "/api/v1/apps", null, ApiTestClient.Json(new { client_name = longText, redirect_uris = "https://app.example/cb" }));
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, app.Status);

        Assert.AreEqual(0, (await Api.GetAsync("/api/v1/lists", token)).Body.GetArrayLength());
        Assert.AreEqual(0, (await Api.GetAsync("/api/v2/filters", token)).Body.GetArrayLength());
    }
}
