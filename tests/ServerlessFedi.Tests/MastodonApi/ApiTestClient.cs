using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.OAuth;
using ServerlessFedi.Signatures;
using ServerlessFedi.Tests.Federation;
using ServerlessFedi.Tests.Infrastructure;
using SkiaSharp;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>Client calls, signed peer activities and generated images shared by the profile and edit tests.</summary>
internal sealed class ApiTestClient(TestInstance instance)
{
    private static readonly HttpSignatureSigner Signer = new();
    private static readonly JsonSerializerOptions RawUtf8 = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static int _next;

    public static string Next() => Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public async Task<(LocalAccount Account, string Token)> AccountAsync(string username, params string[] scopes)
    {
        var account = await instance.CreateAccountAsync(username);
        var token = await instance.Services.GetRequiredService<AccessTokenStore>().IssueAsync(account.Id, scopes.Length == 0 ? ["read", "write", "follow"] : scopes);
        return (account, token);
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? token, HttpContent? content = null, string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        using var response = await instance.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 || text[0] is not ('{' or '[') ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path, string? token) => SendAsync(HttpMethod.Get, path, token);

    public static StringContent Json(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    public async Task<string> PostAsync(string token, string text)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", token, Json(new { status = text }));
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        return body.GetProperty("id").GetString()!;
    }

    /// <summary>An ActivityPub GET, as a remote server fetches (Accept: activity+json).</summary>
    public Task<(HttpStatusCode Status, JsonElement Body)> GetActivityAsync(string path) => SendAsync(HttpMethod.Get, path, null, accept: "application/activity+json");

    /// <summary>
    /// POSTs the activity to an inbox of the instance, HTTP-signed (draft-cavage) with the peer actor's key;
    /// <paramref name="rawUtf8"/> writes non-ASCII text as UTF-8, as Mastodon and GoToSocial do, instead of <c>\uXXXX</c>.
    /// </summary>
    public async Task<HttpResponseMessage> PostSignedAsync(string path, JsonObject activity, PeerActor signer, bool rawUtf8 = false)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(signer);
        var body = Encoding.UTF8.GetBytes(rawUtf8 ? activity.ToJsonString(RawUtf8) : activity.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(instance.BaseUrl), path)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/activity+json");
        Signer.Sign(request, body, new SigningKey(signer.KeyId, signer.PrivateKeyPem), DateTimeOffset.UtcNow);
        return await instance.Http.SendAsync(request);
    }

    /// <summary>Messages in the instance's work queues, visible or not (Azurite counts invisible ones too).</summary>
    public async Task<int> QueuedAsync() => (await QueueCountsAsync()).Total;

    /// <summary>
    /// Until every message (visible or in flight) of the work queues is done; on time-out the failure names each queue
    /// still holding messages and the start of the visible ones, so a flaky wait says what it waited for.
    /// </summary>
    public Task WaitUntilQuietAsync() => Eventually.ValueAsync(QueueCountsAsync, counts => counts.Total == 0, "the work queues emptying");

    private async Task<QueueCounts> QueueCountsAsync()
    {
        var names = instance.Services.GetRequiredService<ServerlessFedi.Federation.FederationQueues>();
        var queues = instance.Services.GetRequiredService<ServerlessFedi.Storage.StorageAccount>().RawQueues;
        var total = 0;
        var detail = new StringBuilder();
        foreach (var name in names.All)
        {
            var queue = queues.GetQueueClient(name);
            var count = await queue.ExistsAsync() ? (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
            total += count;
            if (count > 0)
            {
                detail.Append(CultureInfo.InvariantCulture, $"{name}: {count} [");
                foreach (var message in (await queue.PeekMessagesAsync(2)).Value)
                {
                    var text = message.Body.ToString();
                    try
                    {
                        text = Encoding.UTF8.GetString(Convert.FromBase64String(text));
                    }
                    catch (FormatException)
                    {
                        // Not Base64: shown as stored.
                    }

                    detail.Append(CultureInfo.InvariantCulture, $" dequeued {message.DequeueCount}x: {text[..Math.Min(text.Length, 300)]};");
                }

                detail.Append("] ");
            }
        }

        return new QueueCounts(total, detail.ToString());
    }

    private sealed record QueueCounts(int Total, string Detail)
    {
        public override string ToString() => Total == 0 ? "empty" : $"{Total} in {Detail}";
    }

    /// <summary>The peer actor follows the local account (signed Follow to its inbox) and the follow is recorded.</summary>
    public async Task FollowAsync(PeerActor follower, LocalAccount account)
    {
        var follow = new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = $"{follower.Id}#follow/{Next()}",
            ["type"] = "Follow",
            ["actor"] = follower.Id,
            ["object"] = $"{instance.BaseUrl}/users/{account.Username}",
        };
        var body = Encoding.UTF8.GetBytes(follow.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(instance.BaseUrl), $"/users/{account.Username}/inbox")) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/activity+json");
        Signer.Sign(request, body, new SigningKey(follower.KeyId, follower.PrivateKeyPem), DateTimeOffset.UtcNow);
        using var response = await instance.Http.SendAsync(request);
        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/accounts/{account.Id}", null)).Body.GetProperty("followers_count").GetInt32() == 1, "the follow being recorded");
    }

    /// <summary>The first activity of <paramref name="type"/> the peer received at the inbox that matches.</summary>
    public static Task<JsonNode?> ReceivedAsync(FakePeer peer, string inboxPath, string type, Func<JsonNode, bool> match, string what) =>
        Eventually.ValueAsync(
            () => Task.FromResult(peer.PostsTo(inboxPath).Select(p => JsonNode.Parse(p.BodyText)!).FirstOrDefault(a => (string?)a["type"] == type && match(a))),
            a => a is not null,
            what);

    /// <summary>A generated image with a gradient (so encoders have real content), encoded as asked.</summary>
    public static byte[] Image(int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint())
        {
            paint.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height), [SKColors.Teal, SKColors.Orange], SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, width, height, paint);
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }

    public static ByteArrayContent File(byte[] data, string contentType)
    {
        var content = new ByteArrayContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }
}
