using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.OAuth;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>
/// Relationship, Notification and Context entities field by field against Mastodon's documentation
/// (entities/Relationship, entities/Notification, entities/Context): every documented attribute present with its type.
/// </summary>
[TestClass]
public sealed class EntityShapeTests
{
    private static TestInstance _instance = null!;
    private static LocalAccount _alice = null!;
    private static LocalAccount _bob = null!;
    private static string _aliceToken = "";
    private static string _bobToken = "";

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        _alice = await _instance.CreateAccountAsync("alice");
        _bob = await _instance.CreateAccountAsync("bob");
        var tokens = _instance.Services.GetRequiredService<AccessTokenStore>();
        _aliceToken = await tokens.IssueAsync(_alice.Id, ["read", "write", "follow"]);
        _bobToken = await tokens.IssueAsync(_bob.Id, ["read", "write", "follow"]);
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    [TestMethod]
    public async Task Relationship_has_every_documented_field_with_its_type()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{_alice.Id}/follow", _bobToken);
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());

        AssertShape(body, new()
        {
            ["id"] = JsonValueKind.String,
            ["following"] = JsonValueKind.True,
            ["showing_reblogs"] = JsonValueKind.True,
            ["notifying"] = JsonValueKind.False,
            ["followed_by"] = JsonValueKind.False,
            ["blocking"] = JsonValueKind.False,
            ["blocked_by"] = JsonValueKind.False,
            ["muting"] = JsonValueKind.False,
            ["muting_notifications"] = JsonValueKind.False,
            ["requested"] = JsonValueKind.False,
            ["requested_by"] = JsonValueKind.False,
            ["domain_blocking"] = JsonValueKind.False,
            ["endorsed"] = JsonValueKind.False,
            ["note"] = JsonValueKind.String,
            ["languages"] = JsonValueKind.Null,
        });
        Assert.AreEqual(_alice.Id, body.GetProperty("id").GetString());
    }

    [TestMethod]
    public async Task Notification_and_Context_have_every_documented_field_with_its_type()
    {
        await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{_alice.Id}/follow", _bobToken);
        var (_, post) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", _aliceToken, new StringContent(JsonSerializer.Serialize(new { status = "Root" }), Encoding.UTF8, "application/json"));
        var rootId = post.GetProperty("id").GetString();
        var (_, reply) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", _bobToken, new StringContent(JsonSerializer.Serialize(new { status = "@alice reply", in_reply_to_id = rootId }), Encoding.UTF8, "application/json"));
        Assert.AreEqual(rootId, reply.GetProperty("in_reply_to_id").GetString());

        var (_, list) = await SendAsync(HttpMethod.Get, "/api/v1/notifications?types[]=mention", _aliceToken);
        var mention = list[0];
        AssertShape(mention, new()
        {
            ["id"] = JsonValueKind.String,
            ["type"] = JsonValueKind.String,
            ["group_key"] = JsonValueKind.String,
            ["created_at"] = JsonValueKind.String,
            ["account"] = JsonValueKind.Object,
            ["status"] = JsonValueKind.Object,
        });
        Assert.AreEqual("mention", mention.GetProperty("type").GetString());
        Assert.MatchesRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", mention.GetProperty("created_at").GetString()!);
        Assert.AreEqual(_bob.Id, mention.GetProperty("account").GetProperty("id").GetString());
        Assert.AreEqual(reply.GetProperty("id").GetString(), mention.GetProperty("status").GetProperty("id").GetString());

        var (_, follows) = await SendAsync(HttpMethod.Get, "/api/v1/notifications?types[]=follow", _aliceToken);
        Assert.AreEqual(JsonValueKind.Null, follows[0].GetProperty("status").ValueKind, "a follow notification has no status");

        var (_, context) = await SendAsync(HttpMethod.Get, $"/api/v1/statuses/{reply.GetProperty("id").GetString()}/context", _aliceToken);
        AssertShape(context, new() { ["ancestors"] = JsonValueKind.Array, ["descendants"] = JsonValueKind.Array });
        Assert.AreEqual(rootId, context.GetProperty("ancestors")[0].GetProperty("id").GetString());
        Assert.AreEqual(1, (await SendAsync(HttpMethod.Get, $"/api/v1/statuses/{rootId}", _aliceToken)).Body.GetProperty("replies_count").GetInt32());
    }

    private static void AssertShape(JsonElement entity, Dictionary<string, JsonValueKind> expected)
    {
        var missing = expected.Keys.Where(k => !entity.TryGetProperty(k, out _)).ToList();
        Assert.IsEmpty(missing, "missing: " + string.Join(", ", missing) + " in " + entity);
        foreach (var (name, kind) in expected)
        {
            Assert.AreEqual(kind, entity.GetProperty(name).ValueKind, name);
        }
    }

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
