using System.Net;
using System.Text.Json;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>
/// Featured hashtags (docs: methods/featured_tags, entities/FeaturedTag, as Mastodon's serializer writes it) and the
/// endorsement lists, which are empty because endorsing does not exist on this instance.
/// </summary>
[TestClass]
public sealed class FeaturedTagsApiTests
{
    private static TestInstance _instance = null!;
    private static ApiTestClient _api = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        _api = new ApiTestClient(_instance);
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    [TestMethod]
    public async Task A_featured_tag_counts_the_accounts_public_statuses_with_it_and_can_be_removed()
    {
        var (alice, token) = await _api.AccountAsync($"ft{ApiTestClient.Next()}");
        await _api.PostAsync(token, "Office hours #Accessibility");
        await _api.PostAsync(token, "More on #accessibility and #OpenData");
        var (_, hidden) = await _api.SendAsync(HttpMethod.Post, "/api/v1/statuses", token, ApiTestClient.Json(new { status = "Private #accessibility", visibility = "private" }));
        Assert.AreEqual("private", hidden.GetProperty("visibility").GetString());

        var (status, tag) = await _api.SendAsync(HttpMethod.Post, "/api/v1/featured_tags", token, ApiTestClient.Json(new { name = "#Accessibility" }));
        Assert.AreEqual(HttpStatusCode.OK, status, tag.ToString());
        CollectionAssert.AreEquivalent(new[] { "id", "name", "url", "statuses_count", "last_status_at" }, tag.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.AreEqual("Accessibility", tag.GetProperty("name").GetString());
        Assert.AreEqual($"{_instance.BaseUrl}/@{alice.Username}/tagged/Accessibility", tag.GetProperty("url").GetString());
        Assert.AreEqual("2", tag.GetProperty("statuses_count").GetString(), "public statuses only; a string, as Mastodon writes it");
        Assert.MatchesRegex(@"^\d{4}-\d\d-\d\d$", tag.GetProperty("last_status_at").GetString()!, "a date, as Mastodon writes it");

        var (_, again) = await _api.SendAsync(HttpMethod.Post, "/api/v1/featured_tags", token, ApiTestClient.Json(new { name = "accessibility" }));
        Assert.AreEqual(tag.GetProperty("id").GetString(), again.GetProperty("id").GetString(), "featuring a tag twice keeps one");
        var (_, unused) = await _api.SendAsync(HttpMethod.Post, "/api/v1/featured_tags", token, ApiTestClient.Json(new { name = "Unused" }));
        Assert.AreEqual("0", unused.GetProperty("statuses_count").GetString());
        Assert.AreEqual(JsonValueKind.Null, unused.GetProperty("last_status_at").ValueKind);

        var (_, mine) = await _api.GetAsync("/api/v1/featured_tags", token);
        CollectionAssert.AreEqual(new[] { "Accessibility", "Unused" }, mine.EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToArray());
        var (publicStatus, theirs) = await _api.GetAsync($"/api/v1/accounts/{alice.Id}/featured_tags", null);
        Assert.AreEqual(HttpStatusCode.OK, publicStatus);
        Assert.AreEqual(2, theirs.GetArrayLength());

        var (collectionStatus, collection) = await _api.SendAsync(HttpMethod.Get, $"/users/{alice.Username}/collections/tags", null, accept: "application/activity+json");
        Assert.AreEqual(HttpStatusCode.OK, collectionStatus);
        Assert.AreEqual("Collection", collection.GetProperty("type").GetString());
        Assert.AreEqual(2, collection.GetProperty("totalItems").GetInt32());
        Assert.AreEqual("Hashtag", collection.GetProperty("items")[0].GetProperty("type").GetString());
        Assert.AreEqual("#Accessibility", collection.GetProperty("items")[0].GetProperty("name").GetString());
        Assert.AreEqual(tag.GetProperty("url").GetString(), collection.GetProperty("items")[0].GetProperty("href").GetString());

        var (_, suggestions) = await _api.GetAsync("/api/v1/featured_tags/suggestions", token);
        CollectionAssert.AreEqual(new[] { "opendata" }, suggestions.EnumerateArray().Select(t => t.GetProperty("name").GetString()!.ToLowerInvariant()).ToArray(), "used tags not yet featured");
        Assert.AreEqual(JsonValueKind.Array, suggestions[0].GetProperty("history").ValueKind);

        var (deleted, empty) = await _api.SendAsync(HttpMethod.Delete, $"/api/v1/featured_tags/{tag.GetProperty("id").GetString()}", token);
        Assert.AreEqual(HttpStatusCode.OK, deleted);
        Assert.AreEqual("{}", empty.ToString());
        Assert.AreEqual(HttpStatusCode.NotFound, (await _api.SendAsync(HttpMethod.Delete, $"/api/v1/featured_tags/{tag.GetProperty("id").GetString()}", token)).Status);
        Assert.AreEqual(1, (await _api.GetAsync("/api/v1/featured_tags", token)).Body.GetArrayLength());
    }

    [TestMethod]
    public async Task Invalid_names_the_limit_scopes_and_unknown_ids_are_refused()
    {
        var (_, token) = await _api.AccountAsync($"ft{ApiTestClient.Next()}");
        var (_, other) = await _api.AccountAsync($"ft{ApiTestClient.Next()}");
        var (_, readOnly) = await _api.AccountAsync($"ft{ApiTestClient.Next()}", "read:accounts");
        foreach (var name in new[] { "", "#", "two words", "123", "tag-with-dash", new string('a', 101) })
        {
            var (status, body) = await _api.SendAsync(HttpMethod.Post, "/api/v1/featured_tags", token, ApiTestClient.Json(new { name }));
            Assert.AreEqual(HttpStatusCode.UnprocessableEntity, status, name);
            StringAssert.StartsWith(body.GetProperty("error").GetString(), "Validation failed: ");
        }

        for (var i = 0; i < 10; i++)
        {
            Assert.AreEqual(HttpStatusCode.OK, (await _api.SendAsync(HttpMethod.Post, "/api/v1/featured_tags", token, ApiTestClient.Json(new { name = $"tag{i}" }))).Status);
        }

        var (eleventh, error) = await _api.SendAsync(HttpMethod.Post, "/api/v1/featured_tags", token, ApiTestClient.Json(new { name = "tag10" }));
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, eleventh);
        StringAssert.Contains(error.GetProperty("error").GetString(), "10");

        var first = (await _api.GetAsync("/api/v1/featured_tags", token)).Body[0].GetProperty("id").GetString();
        Assert.AreEqual(HttpStatusCode.NotFound, (await _api.SendAsync(HttpMethod.Delete, $"/api/v1/featured_tags/{first}", other)).Status, "another account's tag");
        Assert.AreEqual(HttpStatusCode.Forbidden, (await _api.SendAsync(HttpMethod.Post, "/api/v1/featured_tags", readOnly, ApiTestClient.Json(new { name = "x1" }))).Status);
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await _api.GetAsync("/api/v1/featured_tags", null)).Status);
        Assert.AreEqual(HttpStatusCode.NotFound, (await _api.GetAsync("/api/v1/accounts/117684648624352871/featured_tags", null)).Status);
        Assert.AreEqual(10, (await _api.GetAsync("/api/v1/featured_tags", token)).Body.GetArrayLength(), "nothing changed");
    }

    [TestMethod]
    public async Task Endorsement_lists_are_empty_and_unknown_accounts_are_404()
    {
        var (alice, token) = await _api.AccountAsync($"ft{ApiTestClient.Next()}");
        var (status, mine) = await _api.GetAsync("/api/v1/endorsements", token);
        Assert.AreEqual(HttpStatusCode.OK, status);
        Assert.AreEqual(0, mine.GetArrayLength());
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await _api.GetAsync("/api/v1/endorsements", null)).Status);
        Assert.AreEqual(0, (await _api.GetAsync($"/api/v1/accounts/{alice.Id}/endorsements", null)).Body.GetArrayLength());
        var (missing, error) = await _api.GetAsync("/api/v1/accounts/117684648624352871/endorsements", token);
        Assert.AreEqual(HttpStatusCode.NotFound, missing);
        Assert.AreEqual(JsonValueKind.String, error.GetProperty("error").ValueKind);
    }
}
