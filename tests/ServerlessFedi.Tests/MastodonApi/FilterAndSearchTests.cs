using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.OAuth;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>Filters applied where statuses are shown (home, public, notifications), and <c>/api/v2/search</c>.</summary>
[TestClass]
public sealed class FilterAndSearchTests
{
    private static TestInstance _instance = null!;
    private static LocalAccount _reader = null!;
    private static LocalAccount _author = null!;
    private static string _readerToken = "";
    private static string _authorToken = "";

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        _reader = await _instance.CreateAccountAsync("reader");
        _author = await _instance.CreateAccountAsync("publisher", ActorType.Organization, "Publishing Office");
        var tokens = _instance.Services.GetRequiredService<AccessTokenStore>();
        _readerToken = await tokens.IssueAsync(_reader.Id, ["read", "write", "follow"]);
        _authorToken = await tokens.IssueAsync(_author.Id, ["read", "write"]);
        var directory = _instance.Services.GetRequiredService<AccountDirectory>();
        await _instance.Services.GetRequiredService<RelationshipService>().FollowAsync(_reader, directory.Of(_author), CancellationToken.None);
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    [TestMethod]
    public async Task A_warn_filter_marks_matching_statuses_and_a_hide_filter_removes_them()
    {
        var warn = await SendAsync(HttpMethod.Post, "/api/v2/filters", _readerToken, Json(new { title = "Spoilers", context = new[] { "home", "public" }, filter_action = "warn", keywords_attributes = new[] { new { keyword = "finale", whole_word = true } } }));
        Assert.AreEqual(HttpStatusCode.OK, warn.Status, warn.Body.ToString());
        var hide = await SendAsync(HttpMethod.Post, "/api/v2/filters", _readerToken, Json(new { title = "Noise", context = new[] { "home" }, filter_action = "hide", keywords_attributes = new[] { new { keyword = "lottery", whole_word = true } } }));
        Assert.AreEqual(HttpStatusCode.OK, hide.Status, hide.Body.ToString());

        var warned = await PostAsync("The finale of the consultation is tomorrow");
        var hidden = await PostAsync("Win the lottery now");
        var plain = await PostAsync("Opening hours unchanged");

        var home = await Federation.Eventually.ValueAsync(() => GetAsync("/api/v1/timelines/home", _readerToken), h => new[] { warned, plain }.All(id => h.Body.EnumerateArray().Any(s => s.GetProperty("id").GetString() == id)), "the posts in home (their fan-outs run in parallel)");
        var ids = home.Body.EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToList();
        CollectionAssert.Contains(ids, warned);
        CollectionAssert.DoesNotContain(ids, hidden, "a hide filter removes the status");
        var warnedJson = home.Body.EnumerateArray().Single(s => s.GetProperty("id").GetString() == warned);
        var filtered = warnedJson.GetProperty("filtered");
        Assert.AreEqual(1, filtered.GetArrayLength());
        Assert.AreEqual("Spoilers", filtered[0].GetProperty("filter").GetProperty("title").GetString());
        Assert.AreEqual("finale", filtered[0].GetProperty("keyword_matches")[0].GetString());
        Assert.AreEqual(0, home.Body.EnumerateArray().Single(s => s.GetProperty("id").GetString() == plain).GetProperty("filtered").GetArrayLength());

        // The hide filter is for home only: the public timeline still shows the post (with no filtered entry from it), once
        // its fan-out placed it there.
        await Federation.Eventually.ValueAsync(() => GetAsync("/api/v1/timelines/public?local=true", _readerToken), p => p.Body.EnumerateArray().Any(s => s.GetProperty("id").GetString() == hidden), "the hidden post in the public timeline");

        // The author's own view is never filtered by someone else's filters.
        var own = await GetAsync($"/api/v1/statuses/{hidden}", _authorToken);
        Assert.AreEqual(HttpStatusCode.OK, own.Status);
    }

    [TestMethod]
    public async Task Search_finds_accounts_statuses_by_url_and_hashtags_with_posts()
    {
        var id = await PostAsync("Consultation on #cycling paths");
        var byName = await GetAsync("/api/v2/search?q=publ&type=accounts", _readerToken);
        Assert.AreEqual(_author.Id, byName.Body.GetProperty("accounts")[0].GetProperty("id").GetString());
        var byDisplayName = await GetAsync("/api/v2/search?q=Publishing", null);
        Assert.AreEqual(_author.Id, byDisplayName.Body.GetProperty("accounts")[0].GetProperty("id").GetString());
        var byHandle = await GetAsync($"/api/v2/search?q=@publisher@{new Uri(_instance.BaseUrl).Authority}", _readerToken);
        Assert.AreEqual(_author.Id, byHandle.Body.GetProperty("accounts")[0].GetProperty("id").GetString());

        var byUrl = await GetAsync($"/api/v2/search?q={Uri.EscapeDataString($"{_instance.BaseUrl}/@publisher/{id}")}&resolve=true", _readerToken);
        Assert.AreEqual(id, byUrl.Body.GetProperty("statuses")[0].GetProperty("id").GetString());
        var byUri = await GetAsync($"/api/v2/search?q={Uri.EscapeDataString($"{_instance.BaseUrl}/users/publisher/statuses/{id}")}", null);
        Assert.AreEqual(id, byUri.Body.GetProperty("statuses")[0].GetProperty("id").GetString());

        // A hashtag is found once a post is in its timeline (the post's fan-out places it).
        var tag = await Federation.Eventually.ValueAsync(() => GetAsync("/api/v2/search?q=%23cycling&type=hashtags", null), t => t.Body.GetProperty("hashtags").GetArrayLength() > 0, "#cycling found");
        Assert.AreEqual("cycling", tag.Body.GetProperty("hashtags")[0].GetProperty("name").GetString());
        var unknownTag = await GetAsync("/api/v2/search?q=%23nothinghere", null);
        Assert.AreEqual(0, unknownTag.Body.GetProperty("hashtags").GetArrayLength());
        var empty = await GetAsync("/api/v2/search?q=", null);
        Assert.AreEqual(0, empty.Body.GetProperty("accounts").GetArrayLength());
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await GetAsync("/api/v2/search?q=x", "bad-token")).Status);
    }

    private static async Task<string> PostAsync(string text)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", _authorToken, Json(new { status = text }));
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        return body.GetProperty("id").GetString()!;
    }

    private static StringContent Json(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    private static Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path, string? token) => SendAsync(HttpMethod.Get, path, token);

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? token, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _instance.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
