using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.MastodonApi;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// The fixture the federation test classes share: a running instance and a <see cref="FakePeer"/> per test class (the
/// statics are per <typeparamref name="TSelf"/>), the client calls of <see cref="ApiTestClient"/>, and the activities a
/// peer sends. A test class derives from it with itself as <typeparamref name="TSelf"/>.
/// </summary>
public abstract class FederationTest<TSelf>
    where TSelf : FederationTest<TSelf>
{
    private protected const string Public = "https://www.w3.org/ns/activitystreams#Public";

    private static TestInstance? _instance;
    private static FakePeer? _peer;

    private protected static TestInstance Instance => _instance ?? throw new InvalidOperationException("the class fixture has not started");

    private protected static FakePeer Peer => _peer ?? throw new InvalidOperationException("the class fixture has not started");

    private protected static ApiTestClient Api => new(Instance);

    [ClassInitialize(InheritanceBehavior.BeforeEachDerivedClass)]
    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "MSTest calls class fixtures as statics; the type parameter gives each test class its own")]
    public static async Task StartFixtureAsync(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        _peer = await FakePeer.StartAsync();
    }

    [ClassCleanup(InheritanceBehavior.BeforeEachDerivedClass)]
    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "MSTest calls class fixtures as statics; the type parameter gives each test class its own")]
    public static async Task StopFixtureAsync()
    {
        if (_instance is not null)
        {
            await _instance.DisposeAsync();
        }

        if (_peer is not null)
        {
            await _peer.DisposeAsync();
        }
    }

    private protected static string Next() => ApiTestClient.Next();

    /// <summary>The local account follows the peer actor, accepted (its posts then concern the instance), without a Follow round trip.</summary>
    private protected static async Task FollowAsync(LocalAccount account, PeerActor actor) =>
        await Instance.Services.GetRequiredService<ServerlessFedi.Federation.FollowingStore>().AddAsync(account.Id, actor.Id, ServerlessFedi.Federation.RemoteAccountIds.For(actor.Id), $"{Instance.BaseUrl}/follows/{Next()}", accepted: true, CancellationToken.None);

    private protected static string ActorUri(LocalAccount account) => $"{Instance.BaseUrl}/users/{account.Username}";

    private protected static string StatusUri(LocalAccount account, string id) => $"{ActorUri(account)}/statuses/{id}";

    private protected static Task<(LocalAccount Account, string Token)> AccountAsync(string username) => Api.AccountAsync(username);

    private protected static Task<string> PostAsync(string token, string text) => Api.PostAsync(token, text);

    private protected static StringContent Json(object value) => ApiTestClient.Json(value);

    private protected static Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path, string? token) => Api.GetAsync(path, token);

    private protected static Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? token, HttpContent? content = null) =>
        Api.SendAsync(method, path, token, content);

    private protected static Task<(HttpStatusCode Status, JsonElement Body)> GetActivityAsync(string path) => Api.GetActivityAsync(path);

    /// <summary>An ActivityPub GET that must answer 200.</summary>
    private protected static async Task<JsonElement> GetJsonAsync(string path)
    {
        var (status, body) = await GetActivityAsync(path);
        Assert.AreEqual(HttpStatusCode.OK, status, path);
        return body;
    }

    private protected static async Task<long> FollowersCountAsync(string username) =>
        (await GetJsonAsync($"/users/{username}/followers")).GetProperty("totalItems").GetInt64();

    private protected static Task<HttpResponseMessage> PostSignedAsync(string path, JsonObject activity, PeerActor signer) => Api.PostSignedAsync(path, activity, signer);

    private protected static Task<int> QueuedAsync() => Api.QueuedAsync();

    /// <summary>Until every message (visible or in flight) of the work queues is done.</summary>
    private protected static Task WaitUntilQuietAsync() => Api.WaitUntilQuietAsync();

    /// <summary>An activity of <paramref name="actor"/> with a fresh id.</summary>
    private protected static JsonObject Activity(PeerActor actor, string type, string? target) => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = $"{actor.Id}#{type.ToLowerInvariant()}/{Next()}",
        ["type"] = type,
        ["actor"] = actor.Id,
        ["object"] = target,
    };

    /// <summary>The Create of <paramref name="note"/>, addressed as the note is.</summary>
    private protected static JsonObject Create(PeerActor actor, JsonObject note)
    {
        var create = Activity(actor, "Create", null);
        create["to"] = note["to"]?.DeepClone();
        create["cc"] = note["cc"]?.DeepClone();
        create["object"] = note;
        return create;
    }

    /// <summary>The Undo of <paramref name="inner"/>, embedded (without its own context).</summary>
    private protected static JsonObject Undo(PeerActor actor, JsonObject inner)
    {
        var undo = Activity(actor, "Undo", null);
        var embedded = (JsonObject)JsonNode.Parse(inner.ToJsonString())!;
        embedded.Remove("@context");
        undo["object"] = embedded;
        return undo;
    }

    /// <summary>A public Note by <paramref name="author"/>, published a minute ago.</summary>
    private protected static JsonObject Note(string id, string author, string html) => new()
    {
        ["id"] = id,
        ["type"] = "Note",
        ["attributedTo"] = author,
        ["to"] = new JsonArray(Public),
        ["cc"] = new JsonArray(author + "/followers"),
        ["content"] = html,
        ["published"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"),
    };

    /// <summary>An actor whose document the peer serves with <paramref name="alsoKnownAs"/> (FakePeer's own actors have none).</summary>
    private protected static PeerActor ServeActor(string name, params string[]? alsoKnownAs)
    {
        var actor = Peer.AddActor(name);
        var document = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"),
            ["id"] = actor.Id,
            ["type"] = "Person",
            ["preferredUsername"] = name,
            ["inbox"] = actor.Inbox,
            ["outbox"] = actor.Id + "/outbox",
            ["followers"] = actor.Id + "/followers",
            ["publicKey"] = new JsonObject { ["id"] = actor.KeyId, ["owner"] = actor.Id, ["publicKeyPem"] = actor.PublicKeyPem },
            ["alsoKnownAs"] = new JsonArray([.. (alsoKnownAs ?? []).Select(a => (JsonNode)JsonValue.Create(a))]),
        };
        Peer.Serve(new Uri(actor.Id).AbsolutePath, document);
        return actor;
    }

    /// <summary>The local account follows <paramref name="target"/>, which accepts (the actor becomes known through a signed activity first).</summary>
    private protected static async Task FollowRemoteAsync(LocalAccount account, string token, PeerActor target)
    {
        var targetId = ServerlessFedi.Federation.RemoteAccountIds.For(target.Id);
        await Api.PostSignedAsync("/inbox", Activity(target, "Like", $"{Instance.BaseUrl}/users/nobody/statuses/1"), target);
        await Eventually.TrueAsync(async () => (await Api.GetAsync($"/api/v1/accounts/{targetId}", token)).Status == HttpStatusCode.OK, "the remote account becoming known");
        Assert.AreEqual(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Post, $"/api/v1/accounts/{targetId}/follow", token)).Status);
        var follow = await ApiTestClient.ReceivedAsync(Peer, target.InboxPath, "Follow", a => (string?)a["actor"] == ActorUri(account), "the Follow");
        var accept = Activity(target, "Accept", null);
        accept["object"] = JsonNode.Parse(follow!.ToJsonString());
        Assert.AreEqual(HttpStatusCode.Accepted, (await Api.PostSignedAsync($"/users/{account.Username}/inbox", accept, target)).StatusCode);
        await Eventually.TrueAsync(async () => (await Api.GetAsync($"/api/v1/accounts/relationships?id[]={targetId}", token)).Body[0].GetProperty("following").GetBoolean(), "the follow being accepted");
    }
}
