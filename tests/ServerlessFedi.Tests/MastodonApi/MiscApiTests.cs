using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.OAuth;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>Custom emojis, announcements, trends, suggestions, preferences and markers over real HTTP.</summary>
[TestClass]
public sealed class MiscApiTests
{
    private static TestInstance _instance = null!;
    private static string _token = "";
    private static string _statusesOnly = "";
    private static string _bobsToken = "";

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        var alice = await _instance.CreateAccountAsync("alice");
        var bob = await _instance.CreateAccountAsync("bob");
        var tokens = _instance.Services.GetRequiredService<AccessTokenStore>();
        _token = await tokens.IssueAsync(alice.Id, ["read", "write"]);
        _statusesOnly = await tokens.IssueAsync(alice.Id, ["read:statuses"]);
        _bobsToken = await tokens.IssueAsync(bob.Id, ["read", "write"]);
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Send(HttpMethod method, string path, string? token, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await _instance.Http.SendAsync(request);
        Assert.AreEqual("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single(), path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    [TestMethod]
    [DataRow("/api/v1/custom_emojis")]
    [DataRow("/api/v1/trends")]
    [DataRow("/api/v1/trends/tags")]
    [DataRow("/api/v1/trends/statuses")]
    [DataRow("/api/v1/trends/links?limit=5&offset=10")]
    public async Task Public_lists_with_nothing_to_show_are_empty_without_a_token(string path)
    {
        var (status, body) = await Send(HttpMethod.Get, path, null);

        Assert.AreEqual(HttpStatusCode.OK, status);
        Assert.AreEqual("[]", body.GetRawText());
    }

    [TestMethod]
    [DataRow("/api/v1/announcements")]
    [DataRow("/api/v1/suggestions")]
    [DataRow("/api/v2/suggestions")]
    public async Task Account_lists_with_nothing_to_show_are_empty_and_need_a_read_token(string path)
    {
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Get, path, null)).Status);
        Assert.AreEqual(HttpStatusCode.Forbidden, (await Send(HttpMethod.Get, path, _statusesOnly)).Status);
        var (status, body) = await Send(HttpMethod.Get, path, _token);

        Assert.AreEqual(HttpStatusCode.OK, status);
        Assert.AreEqual("[]", body.GetRawText());
    }

    [TestMethod]
    public async Task Dismissing_an_announcement_is_404_as_none_exists()
    {
        var (status, body) = await Send(HttpMethod.Post, "/api/v1/announcements/1/dismiss", _token);

        Assert.AreEqual(HttpStatusCode.NotFound, status);
        Assert.AreEqual("Record not found", body.GetProperty("error").GetString());
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Post, "/api/v1/announcements/1/dismiss", null)).Status);
    }

    [TestMethod]
    public async Task Preferences_come_from_the_account_defaults()
    {
        var (status, body) = await Send(HttpMethod.Get, "/api/v1/preferences", _token);

        Assert.AreEqual(HttpStatusCode.OK, status);
        Assert.AreEqual("""{"posting:default:visibility":"public","posting:default:sensitive":false,"posting:default:language":null,"reading:expand:media":"default","reading:expand:spoilers":false}""", body.GetRawText());
        Assert.AreEqual(HttpStatusCode.Forbidden, (await Send(HttpMethod.Get, "/api/v1/preferences", _statusesOnly)).Status);
    }

    [TestMethod]
    public async Task Stored_defaults_round_trip_through_the_account_row()
    {
        var store = _instance.Accounts;
        var created = await store.CreateAsync(new NewAccount("carol", "Correct-Horse-42-battery", "Carol", null, ActorType.Person));
        var account = await store.GetByIdAsync(created.Account!.Id);

        Assert.AreEqual("public", account!.DefaultPrivacy);
        Assert.IsFalse(account.DefaultSensitive);
        Assert.IsNull(account.DefaultLanguage);
    }

    [TestMethod]
    public async Task Markers_are_stored_per_account_and_their_version_increments()
    {
        var (empty, none) = await Send(HttpMethod.Get, "/api/v1/markers?timeline[]=home&timeline[]=notifications", _bobsToken);
        Assert.AreEqual(HttpStatusCode.OK, empty);
        Assert.AreEqual("{}", none.GetRawText());

        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["home[last_read_id]"] = "103194548672408537", ["notifications[last_read_id]"] = "35098814" });
        var (s1, first) = await Send(HttpMethod.Post, "/api/v1/markers", _bobsToken, form);
        Assert.AreEqual(HttpStatusCode.OK, s1, first.ToString());
        Assert.AreEqual("103194548672408537", first.GetProperty("home").GetProperty("last_read_id").GetString());
        Assert.AreEqual(0, first.GetProperty("home").GetProperty("version").GetInt64());
        Assert.MatchesRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", first.GetProperty("home").GetProperty("updated_at").GetString()!);

        var json = new StringContent("""{"home":{"last_read_id":"103194548672408999"}}""", Encoding.UTF8, "application/json");
        var (s2, second) = await Send(HttpMethod.Post, "/api/v1/markers", _bobsToken, json);
        Assert.AreEqual(HttpStatusCode.OK, s2, second.ToString());
        Assert.AreEqual(1, second.GetProperty("home").GetProperty("version").GetInt64());
        Assert.IsFalse(second.TryGetProperty("notifications", out _), "only updated timelines are answered");

        var (_, both) = await Send(HttpMethod.Get, "/api/v1/markers?timeline[]=home&timeline[]=notifications", _bobsToken);
        Assert.AreEqual("103194548672408999", both.GetProperty("home").GetProperty("last_read_id").GetString());
        Assert.AreEqual("35098814", both.GetProperty("notifications").GetProperty("last_read_id").GetString());
        var (_, homeOnly) = await Send(HttpMethod.Get, "/api/v1/markers?timeline[]=home", _bobsToken);
        Assert.IsFalse(homeOnly.TryGetProperty("notifications", out _));

        var (_, alices) = await Send(HttpMethod.Get, "/api/v1/markers?timeline[]=home", _token);
        Assert.AreEqual("{}", alices.GetRawText(), "markers are per account");
    }

    [TestMethod]
    public async Task A_marker_that_is_not_an_id_is_refused()
    {
        var json = new StringContent("""{"home":{"last_read_id":"abc"}}""", Encoding.UTF8, "application/json");
        var (status, body) = await Send(HttpMethod.Post, "/api/v1/markers", _token, json);

        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, status);
        StringAssert.Contains(body.GetProperty("error").GetString(), "last_read_id");
        Assert.AreEqual(HttpStatusCode.Forbidden, (await Send(HttpMethod.Post, "/api/v1/markers", _statusesOnly, new StringContent("{}", Encoding.UTF8, "application/json"))).Status);
    }
}
