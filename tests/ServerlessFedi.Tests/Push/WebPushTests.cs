using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Configuration;
using ServerlessFedi.Notifications;
using ServerlessFedi.OAuth;
using ServerlessFedi.Push;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Federation;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.MastodonApi;

namespace ServerlessFedi.Tests.Push;

/// <summary>
/// Web Push end to end (docs: methods/push; RFC 8030, 8291, 8292): the subscription API per access token, the VAPID key
/// made once, and notifications pushed encrypted to a push service on loopback, filtered by alerts and policy.
/// </summary>
[TestClass]
public sealed class WebPushTests
{
    private static TestInstance _instance = null!;
    private static ApiTestClient _client = null!;
    private static FakePushService _push = null!;

    [ClassInitialize]
    public static async Task Start(TestContext context)
    {
        _push = await FakePushService.StartAsync();
        _instance = await TestInstance.StartAsync(new Dictionary<string, string?> { ["Fedi:TwoFactorKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
        _client = new ApiTestClient(_instance);
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        await _instance.DisposeAsync();
        await _push.DisposeAsync();
    }

    private static StringContent Subscribe(string path, PushReceiver receiver, Dictionary<string, bool>? alerts = null, string policy = "all") =>
        ApiTestClient.Json(new
        {
            subscription = new { endpoint = _push.BaseUrl + path, keys = new { p256dh = receiver.P256dhText, auth = receiver.AuthText } },
            data = new { alerts = alerts ?? new Dictionary<string, bool> { ["mention"] = true, ["follow"] = true }, policy },
        });

    private static async Task<string> ServerKeyAsync()
    {
        var (_, instance) = await _client.GetAsync("/api/v2/instance", null);
        return instance.GetProperty("configuration").GetProperty("vapid").GetProperty("public_key").GetString()!;
    }

    [TestMethod]
    public async Task A_token_creates_shows_updates_replaces_and_deletes_its_one_subscription()
    {
        var (alice, token) = await _client.AccountAsync("push_alice", "read", "push");
        var other = await _instance.Services.GetRequiredService<AccessTokenStore>().IssueAsync(alice.Id, ["push"]);
        using var receiver = PushReceiver.Create();

        var (created, body) = await _client.SendAsync(HttpMethod.Post, "/api/v1/push/subscription", token, Subscribe("/a1", receiver));
        var (_, shown) = await _client.GetAsync("/api/v1/push/subscription", token);
        var (otherStatus, _) = await _client.GetAsync("/api/v1/push/subscription", other);
        var (updated, changed) = await _client.SendAsync(HttpMethod.Put, "/api/v1/push/subscription", token, new FormUrlEncodedContent([new("data[alerts][reblog]", "true"), new("data[alerts][follow]", "false"), new("data[alerts][quote]", "true"), new("data[policy]", "followed")]));
        var (replaced, replacement) = await _client.SendAsync(HttpMethod.Post, "/api/v1/push/subscription", token, new FormUrlEncodedContent(
        [
            new("subscription[endpoint]", _push.BaseUrl + "/a2"), new("subscription[keys][p256dh]", receiver.P256dhText), new("subscription[keys][auth]", receiver.AuthText),
            new("subscription[standard]", "true"), new("data[alerts][admin.sign_up]", "true"),
        ]));
        var (deleted, deletedBody) = await _client.SendAsync(HttpMethod.Delete, "/api/v1/push/subscription", token);
        var (afterDelete, _) = await _client.GetAsync("/api/v1/push/subscription", token);
        var (deletedAgain, _) = await _client.SendAsync(HttpMethod.Delete, "/api/v1/push/subscription", token);

        Assert.AreEqual(HttpStatusCode.OK, created, body.ToString());
        Assert.AreEqual(_push.BaseUrl + "/a1", body.GetProperty("endpoint").GetString());
        Assert.AreEqual(await ServerKeyAsync(), body.GetProperty("server_key").GetString());
        Assert.AreEqual(87, body.GetProperty("server_key").GetString()!.Length, "a P-256 point in base64url");
        Assert.IsFalse(body.GetProperty("standard").GetBoolean());
        Assert.AreEqual("all", body.GetProperty("policy").GetString());
        var alerts = body.GetProperty("alerts");
        Assert.IsTrue(alerts.GetProperty("mention").GetBoolean());
        Assert.IsTrue(alerts.GetProperty("follow").GetBoolean());
        Assert.IsFalse(alerts.GetProperty("reblog").GetBoolean());
        Assert.IsFalse(alerts.GetProperty("admin.sign_up").GetBoolean());
        Assert.IsFalse(alerts.GetProperty("quote").GetBoolean());
        Assert.IsFalse(alerts.GetProperty("quoted_update").GetBoolean());
        Assert.AreEqual(12, alerts.EnumerateObject().Count());
        Assert.AreEqual(body.ToString(), shown.ToString());
        Assert.AreEqual(HttpStatusCode.NotFound, otherStatus, "one subscription per access token");
        Assert.AreEqual(HttpStatusCode.OK, updated, changed.ToString());
        Assert.IsTrue(changed.GetProperty("alerts").GetProperty("reblog").GetBoolean());
        Assert.IsTrue(changed.GetProperty("alerts").GetProperty("mention").GetBoolean());
        Assert.IsFalse(changed.GetProperty("alerts").GetProperty("follow").GetBoolean());
        Assert.IsTrue(changed.GetProperty("alerts").GetProperty("quote").GetBoolean(), "Mastodon 4.5's quote alert");
        Assert.AreEqual("followed", changed.GetProperty("policy").GetString());
        Assert.AreEqual(_push.BaseUrl + "/a1", changed.GetProperty("endpoint").GetString());
        Assert.AreEqual(HttpStatusCode.OK, replaced, replacement.ToString());
        Assert.AreEqual(_push.BaseUrl + "/a2", replacement.GetProperty("endpoint").GetString());
        Assert.IsTrue(replacement.GetProperty("standard").GetBoolean());
        Assert.IsTrue(replacement.GetProperty("alerts").GetProperty("admin.sign_up").GetBoolean());
        Assert.IsFalse(replacement.GetProperty("alerts").GetProperty("mention").GetBoolean(), "a new subscription starts from its own alerts");
        Assert.AreEqual(HttpStatusCode.OK, deleted);
        Assert.AreEqual("{}", deletedBody.ToString());
        Assert.AreEqual(HttpStatusCode.NotFound, afterDelete);
        Assert.AreEqual(HttpStatusCode.OK, deletedAgain);
    }

    [TestMethod]
    public async Task Hostile_subscriptions_get_422_and_change_nothing_and_the_push_scope_is_required()
    {
        var (_, token) = await _client.AccountAsync("push_hostile", "push");
        var (_, readOnly) = await _client.AccountAsync("push_readonly", "read", "write");
        using var receiver = PushReceiver.Create();
        var point = receiver.PublicKey.ToArray();
        point[40] ^= 1;
        StringContent With(string? endpoint = null, string? p256dh = null, string? auth = null, string policy = "all") => ApiTestClient.Json(new
        {
            subscription = new { endpoint = endpoint ?? _push.BaseUrl + "/h", keys = new { p256dh = p256dh ?? receiver.P256dhText, auth = auth ?? receiver.AuthText } },
            data = new { policy },
        });

        var refused = new List<(HttpStatusCode Status, JsonElement Body)>
        {
            await _client.SendAsync(HttpMethod.Post, "/api/v1/push/subscription", token, With(endpoint: "")),
            await _client.SendAsync(HttpMethod.Post, "/api/v1/push/subscription", token, With(endpoint: "ftp://push.example/x")),
            await _client.SendAsync(HttpMethod.Post, "/api/v1/push/subscription", token, With(endpoint: "https://user:pw@push.example/x")),
            await _client.SendAsync(HttpMethod.Post, "/api/v1/push/subscription", token, With(endpoint: "https://push.example/" + new string('x', 3000))),
            await _client.SendAsync(HttpMethod.Post, "/api/v1/push/subscription", token, With(p256dh: PushReceiver.B64(point))),
            await _client.SendAsync(HttpMethod.Post, "/api/v1/push/subscription", token, With(p256dh: "not base64!")),
            await _client.SendAsync(HttpMethod.Post, "/api/v1/push/subscription", token, With(auth: PushReceiver.B64(new byte[15]))),
            await _client.SendAsync(HttpMethod.Post, "/api/v1/push/subscription", token, With(policy: "everyone")),
        };
        var (afterRefusals, _) = await _client.GetAsync("/api/v1/push/subscription", token);
        var (updateNothing, _) = await _client.SendAsync(HttpMethod.Put, "/api/v1/push/subscription", token, ApiTestClient.Json(new { data = new { policy = "none" } }));
        var (noScope, _) = await _client.SendAsync(HttpMethod.Post, "/api/v1/push/subscription", readOnly, With());
        var (noScopeRead, _) = await _client.GetAsync("/api/v1/push/subscription", readOnly);
        var (noToken, _) = await _client.SendAsync(HttpMethod.Post, "/api/v1/push/subscription", null, With());
        await _client.SendAsync(HttpMethod.Post, "/api/v1/push/subscription", token, With());
        var (badUpdate, badUpdateBody) = await _client.SendAsync(HttpMethod.Put, "/api/v1/push/subscription", token, ApiTestClient.Json(new { data = new { policy = "friends" } }));
        var (_, kept) = await _client.GetAsync("/api/v1/push/subscription", token);

        foreach (var (status, body) in refused)
        {
            Assert.AreEqual(HttpStatusCode.UnprocessableEntity, status, body.ToString());
            StringAssert.StartsWith(body.GetProperty("error").GetString(), "Validation failed: ");
        }

        Assert.AreEqual(HttpStatusCode.NotFound, afterRefusals);
        Assert.AreEqual(HttpStatusCode.NotFound, updateNothing);
        Assert.AreEqual(HttpStatusCode.Forbidden, noScope);
        Assert.AreEqual(HttpStatusCode.Forbidden, noScopeRead);
        Assert.AreEqual(HttpStatusCode.Unauthorized, noToken);
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, badUpdate, badUpdateBody.ToString());
        Assert.AreEqual("all", kept.GetProperty("policy").GetString());
    }

    [TestMethod]
    public async Task Revoking_the_token_removes_its_subscription()
    {
        using var oauth = new ServerlessFedi.Tests.OAuth.OAuthClient(_instance);
        var account = await _instance.CreateAccountAsync("push_revoked");
        var app = await oauth.RegisterAsync("read push");
        var code = await oauth.AuthorizeAsync(app, "push_revoked", scope: "read push");
        var token = (await oauth.ExchangeAsync(app, code)).Body.GetProperty("access_token").GetString()!;
        using var receiver = PushReceiver.Create();
        var (subscribed, _) = await _client.SendAsync(HttpMethod.Post, "/api/v1/push/subscription", token, Subscribe("/r", receiver));
        var before = await _instance.Services.GetRequiredService<PushSubscriptionStore>().ListAsync(account.Id, CancellationToken.None);

        var (revoked, _) = await oauth.SendJsonAsync(HttpMethod.Post, "/oauth/revoke", new { client_id = app.ClientId, client_secret = app.ClientSecret, token });
        var after = await _instance.Services.GetRequiredService<PushSubscriptionStore>().ListAsync(account.Id, CancellationToken.None);

        Assert.AreEqual(HttpStatusCode.OK, subscribed);
        Assert.HasCount(1, before);
        Assert.AreEqual(HttpStatusCode.OK, revoked);
        Assert.IsEmpty(after);
    }

    [TestMethod]
    public void Endpoints_the_remote_guard_would_refuse_are_refused_when_private_networks_are_not_allowed()
    {
        var service = new PushSubscriptionService(null!, null!, null!, new FediOptions { AllowPrivateNetworks = false }, TimeProvider.System);

        Assert.IsNull(service.CheckEndpoint("https://fcm.googleapis.com/fcm/send/abc:def"));
        Assert.IsNotNull(service.CheckEndpoint("http://push.example/x"));
        Assert.IsNotNull(service.CheckEndpoint("https://127.0.0.1/x"));
        Assert.IsNotNull(service.CheckEndpoint("https://localhost:8080/x"));
        Assert.IsNotNull(service.CheckEndpoint("https://10.0.0.5/x"));
        Assert.IsNotNull(service.CheckEndpoint("https://169.254.169.254/latest/meta-data"));
        Assert.IsNotNull(service.CheckEndpoint("https://[::1]/x"));
        Assert.IsNotNull(service.CheckEndpoint("https://[fd00::1]/x"));
    }

    [TestMethod]
    public async Task Instances_starting_at_once_agree_on_one_sealed_VAPID_key()
    {
        var options = new FediOptions { StoragePrefix = "vk" + ApiTestClient.Next(), TwoFactorKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        var tables = new FediTables(_instance.Services.GetRequiredService<StorageAccount>(), options);
        var protector = new TotpSecretProtector(options);

        var keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => new VapidKeyStore(tables, protector).GetOrCreateAsync(CancellationToken.None))));
        var later = await new VapidKeyStore(tables, protector).GetOrCreateAsync(CancellationToken.None);
        var row = (await (await tables.GetAsync(StorageNames.AccountsTable)).GetEntityAsync<Azure.Data.Tables.TableEntity>(StorageKeys.VapidKey().Pk, StorageKeys.VapidKey().Rk)).Value;
        var otherKey = new FediOptions { TwoFactorKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };

        Assert.AreEqual(1, keys.Select(k => k.PublicKeyText).Distinct().Count());
        Assert.AreEqual(keys[0].PublicKeyText, later.PublicKeyText);
        CollectionAssert.AreEqual(keys[0].PrivateKey, later.PrivateKey);
        Assert.IsTrue(row.GetBoolean("Sealed"));
        CollectionAssert.AreNotEqual(later.PrivateKey, row.GetBinary("PrivateKey"), "the private key is stored sealed");
        await Assert.ThrowsExactlyAsync<FediConfigurationException>(() => new VapidKeyStore(tables, new TotpSecretProtector(otherKey)).GetOrCreateAsync(CancellationToken.None));
    }

    [TestMethod]
    public async Task A_mention_is_pushed_encrypted_with_Mastodons_payload_and_a_VAPID_signature_of_the_instances_key()
    {
        var (alice, token) = await _client.AccountAsync("push_mentioned", "read", "push");
        var (_, bobToken) = await _client.AccountAsync("push_mentioner");
        using var receiver = PushReceiver.Create();
        var (subscribed, _) = await _client.SendAsync(HttpMethod.Post, "/api/v1/push/subscription", token, Subscribe("/e2e", receiver));

        await _client.PostAsync(bobToken, "@push_mentioned Is the office open on Monday?");
        var push = await Eventually.ValueAsync(() => Task.FromResult(_push.To("/e2e")), r => r.Count > 0, "the push");
        var (_, notifications) = await _client.GetAsync("/api/v1/notifications", token);
        var payload = receiver.DecryptJson(push[0].Body);
        var claims = PushReceiver.VerifyVapid(push[0].Headers["Authorization"], await ServerKeyAsync());

        Assert.AreEqual(HttpStatusCode.OK, subscribed);
        Assert.AreEqual("aes128gcm", push[0].Headers["Content-Encoding"]);
        Assert.AreEqual("172800", push[0].Headers["TTL"]);
        Assert.AreEqual("normal", push[0].Headers["Urgency"]);
        Assert.AreEqual(_push.BaseUrl, claims.GetProperty("aud").GetString());
        Assert.AreEqual(_instance.BaseUrl, claims.GetProperty("sub").GetString());
        Assert.IsTrue(claims.GetProperty("exp").GetInt64() <= DateTimeOffset.UtcNow.AddHours(24).ToUnixTimeSeconds());
        Assert.AreEqual(token, payload.GetProperty("access_token").GetString());
        Assert.AreEqual("en", payload.GetProperty("preferred_locale").GetString());
        Assert.AreEqual(JsonValueKind.Number, payload.GetProperty("notification_id").ValueKind);
        Assert.AreEqual(notifications[0].GetProperty("id").GetString(), payload.GetProperty("notification_id").GetRawText());
        Assert.AreEqual("mention", payload.GetProperty("notification_type").GetString());
        StringAssert.Contains(payload.GetProperty("title").GetString(), "push_mentioner");
        StringAssert.Contains(payload.GetProperty("body").GetString(), "Is the office open on Monday?");
        StringAssert.StartsWith(payload.GetProperty("icon").GetString(), "http");
        Assert.AreEqual(7, payload.EnumerateObject().Count(), "only what Mastodon sends");
        _ = alice;
    }

    [TestMethod]
    public async Task Alerts_and_policy_decide_what_is_pushed_and_a_gone_subscription_is_removed()
    {
        var (alice, token) = await _client.AccountAsync("push_filtered", "read", "push");
        var (bob, _) = await _client.AccountAsync("push_sender");
        using var receiver = PushReceiver.Create();
        await _client.SendAsync(HttpMethod.Post, "/api/v1/push/subscription", token, Subscribe("/f", receiver, new Dictionary<string, bool> { ["mention"] = true, ["favourite"] = false }));
        var store = _instance.Services.GetRequiredService<NotificationStore>();
        var delivery = _instance.Services.GetRequiredService<PushDelivery>();
        var bobActor = _instance.Services.GetRequiredService<InstanceUrls>().Actor(bob.Username);
        async Task<int> PushAsync(NotificationType type)
        {
            var id = await store.AddAsync(alice.Id, type, bobActor, null, "cause-" + ApiTestClient.Next(), CancellationToken.None);
            await delivery.ProcessAsync(new PushMessage(alice.Id, id!), CancellationToken.None);
            return _push.To("/f").Count;
        }

        var afterFavourite = await PushAsync(NotificationType.Favourite);
        var afterMention = await PushAsync(NotificationType.Mention);
        await _client.SendAsync(HttpMethod.Put, "/api/v1/push/subscription", token, ApiTestClient.Json(new { data = new { policy = "followed" } }));
        var afterUnfollowedMention = await PushAsync(NotificationType.Mention);
        await _client.SendAsync(HttpMethod.Put, "/api/v1/push/subscription", token, ApiTestClient.Json(new { data = new { policy = "none" } }));
        var afterNone = await PushAsync(NotificationType.Mention);
        await _client.SendAsync(HttpMethod.Put, "/api/v1/push/subscription", token, ApiTestClient.Json(new { data = new { policy = "all" } }));
        _push.Script("/f", 410);
        var afterGone = await PushAsync(NotificationType.Mention);
        var (status, _) = await _client.GetAsync("/api/v1/push/subscription", token);

        Assert.AreEqual(0, afterFavourite, "favourite alerts are off");
        Assert.AreEqual(1, afterMention);
        Assert.AreEqual(1, afterUnfollowedMention, "policy followed: alice does not follow bob");
        Assert.AreEqual(1, afterNone, "policy none");
        Assert.AreEqual(2, afterGone, "pushed, answered 410");
        Assert.AreEqual(HttpStatusCode.NotFound, status, "410 from the push service removes the subscription");
    }
}
