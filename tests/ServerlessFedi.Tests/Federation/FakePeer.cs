using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// A remote fediverse server played by Kestrel on 127.0.0.1: serves Mastodon-shaped actor documents with RSA keys made in the
/// test (and a FEP-521a Ed25519 key in <c>assertionMethod</c>), records every request it receives, and answers inbox POSTs with 202 or with statuses a test scripts per path.
/// </summary>
internal sealed class FakePeer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, PeerActor> _actors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _gone = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (JsonObject? Document, ConcurrentQueue<int> Failures)> _documents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (int Status, string? ContentType, byte[] Body, string? Location)> _raw = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GeneratedFile> _generated = new(StringComparer.Ordinal);

    /// <summary>Key pairs made once per server (RSA-2048 generation costs about 0.4 s here) and handed to actors in turn.</summary>
    private readonly (string Private, string Public)[] _keys;
    private int _nextKey;

    private FakePeer(WebApplication app, (string Private, string Public)[] keys)
    {
        _app = app;
        _keys = keys;
    }

    /// <summary><c>http://127.0.0.1:{port}</c>, no trailing slash.</summary>
    public string BaseUrl { get; private set; } = "";

    public int Port => new Uri(BaseUrl).Port;

    /// <summary>The host and port a client signs as <c>host</c> when it talks to this server by its loopback address.</summary>
    public string Authority => $"127.0.0.1:{Port}";

    public ConcurrentQueue<PeerRequest> Received { get; } = new();

    /// <summary>How long a POST waits, after it is recorded, before it is answered: a slow server, so work is still in flight.</summary>
    public TimeSpan PostDelay { get; set; }

    public static async Task<FakePeer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var keys = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            using var rsa = RSA.Create(2048);
            return (rsa.ExportPkcs8PrivateKeyPem(), rsa.ExportSubjectPublicKeyInfoPem());
        })));
        var peer = new FakePeer(app, keys);
        app.Run(peer.HandleAsync);
        await app.StartAsync();
        peer.BaseUrl = app.Urls.First().TrimEnd('/');
        return peer;
    }

    /// <summary>
    /// Adds an actor at <c>/users/{name}</c>, with a shared inbox at <c>/inbox</c> unless told otherwise. Actors added one after
    /// the other never share a key pair.
    /// </summary>
    public PeerActor AddActor(string name, bool sharedInbox = true)
    {
        var (privateKey, publicKey) = _keys[Interlocked.Increment(ref _nextKey) % _keys.Length];
        var id = $"{BaseUrl}/users/{name}";
        var actor = new PeerActor(id, id + "#main-key", id + "/inbox", sharedInbox ? BaseUrl + "/inbox" : null, privateKey, publicKey);
        _actors[name] = actor;
        return actor;
    }

    /// <summary>From now on the actor's document answers 410 Gone, as a server does after the account is deleted.</summary>
    public void MarkGone(string name) => _gone[name] = true;

    /// <summary>
    /// GETs of <paramref name="path"/> are answered with these statuses in turn, then with <paramref name="document"/>
    /// (as ActivityStreams JSON), or 404 when it is null.
    /// </summary>
    public void Serve(string path, JsonObject? document, params int[] statusesFirst) =>
        _documents[path] = (document, new ConcurrentQueue<int>(statusesFirst));

    /// <summary>GETs of <paramref name="path"/> are answered 200 with <paramref name="body"/> under this Content-Type (none when null), as an upload or a misconfigured server would serve it.</summary>
    public void ServeRaw(string path, string? contentType, string body) => _raw[path] = (StatusCodes.Status200OK, contentType, Encoding.UTF8.GetBytes(body), null);

    /// <summary>GETs of <paramref name="path"/> are answered 200 with these bytes (a file) under this Content-Type (none when null).</summary>
    public void ServeBytes(string path, string? contentType, byte[] body) => _raw[path] = (StatusCodes.Status200OK, contentType, body, null);

    /// <summary>
    /// GETs of <paramref name="path"/> are answered 200 with <paramref name="head"/> followed by filler bytes up to
    /// <paramref name="length"/>, written as they are made (no array of that size on this side); with
    /// <paramref name="declareLength"/> the Content-Length says so (else chunked). With <paramref name="breakAfter"/> the
    /// connection is cut after that many bytes: a transfer that stops half way.
    /// </summary>
    public void ServeGenerated(string path, string contentType, byte[] head, long length, bool declareLength = true, long? breakAfter = null) =>
        _generated[path] = new GeneratedFile(contentType, head, length, declareLength, breakAfter);

    /// <summary>GETs of <paramref name="path"/> (query included, when it has one) are answered 302 to <paramref name="location"/>: an open redirect.</summary>
    public void Redirect(string path, string location) => _raw[path] = (StatusCodes.Status302Found, null, [], location);

    /// <summary>The actor document this server serves for <paramref name="name"/>, for a test to alter and <see cref="Serve"/> instead.</summary>
    public JsonObject DocumentOf(string name) => ActorDocument(name, _actors[name]);

    /// <summary>POSTs to <paramref name="path"/> are answered with these statuses in turn, then 202.</summary>
    public void Script(string path, params int[] statuses) => _scripts[path] = new ConcurrentQueue<int>(statuses);

    public IReadOnlyList<PeerRequest> PostsTo(string path) =>
        [.. Received.Where(r => r.Method == "POST" && r.Path == path)];

    public IReadOnlyList<PeerRequest> GetsOf(string path) =>
        [.. Received.Where(r => r.Method == "GET" && r.Path == path)];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in context.Request.Headers)
        {
            headers[name.ToLowerInvariant()] = string.Join(", ", values.OfType<string>());
        }

        var path = context.Request.Path.Value ?? "/";
        Received.Enqueue(new PeerRequest(context.Request.Method, path + context.Request.QueryString, headers, buffer.ToArray()));
        if (PostDelay > TimeSpan.Zero && HttpMethods.IsPost(context.Request.Method))
        {
            await Task.Delay(PostDelay, context.RequestAborted);
        }

        if (HttpMethods.IsGet(context.Request.Method) && (_raw.TryGetValue(path + context.Request.QueryString, out var raw) || _raw.TryGetValue(path, out raw)))
        {
            context.Response.StatusCode = raw.Status;
            if (raw.Location is not null)
            {
                context.Response.Headers.Location = raw.Location;
            }

            if (raw.ContentType is not null)
            {
                context.Response.ContentType = raw.ContentType;
            }

            await context.Response.Body.WriteAsync(raw.Body, context.RequestAborted);
            return;
        }

        if (HttpMethods.IsGet(context.Request.Method) && _generated.TryGetValue(path, out var generated))
        {
            await generated.WriteAsync(context);
            return;
        }

        if (HttpMethods.IsGet(context.Request.Method) && _documents.TryGetValue(path, out var served))
        {
            if (served.Failures.TryDequeue(out var failure) || served.Document is null)
            {
                context.Response.StatusCode = failure != 0 ? failure : StatusCodes.Status404NotFound;
                return;
            }

            context.Response.ContentType = "application/activity+json; charset=utf-8";
            await context.Response.WriteAsync(served.Document.ToJsonString(), context.RequestAborted);
            return;
        }

        if (HttpMethods.IsGet(context.Request.Method) && path.StartsWith("/users/", StringComparison.Ordinal))
        {
            var name = path["/users/".Length..];
            if (_gone.ContainsKey(name))
            {
                context.Response.StatusCode = StatusCodes.Status410Gone;
                return;
            }

            if (!_actors.TryGetValue(name, out var actor))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Response.ContentType = "application/activity+json; charset=utf-8";
            await context.Response.WriteAsync(ActorDocument(name, actor).ToJsonString(), context.RequestAborted);
            return;
        }

        if (HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.StatusCode = _scripts.TryGetValue(path, out var script) && script.TryDequeue(out var status)
                ? status
                : StatusCodes.Status202Accepted;
            return;
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    private static JsonObject ActorDocument(string name, PeerActor actor)
    {
        var doc = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"),
            ["id"] = actor.Id,
            ["type"] = "Person",
            ["preferredUsername"] = name,
            ["name"] = name,
            ["inbox"] = actor.Inbox,
            ["outbox"] = actor.Id + "/outbox",
            ["followers"] = actor.Id + "/followers",
            ["following"] = actor.Id + "/following",
            ["url"] = actor.Id.Replace("/users/", "/@", StringComparison.Ordinal),
            ["publicKey"] = new JsonObject
            {
                ["id"] = actor.KeyId,
                ["owner"] = actor.Id,
                ["publicKeyPem"] = actor.PublicKeyPem,
            },
        };
        doc["assertionMethod"] = new JsonArray(new JsonObject
        {
            ["id"] = actor.Ed25519KeyId,
            ["type"] = "Multikey",
            ["controller"] = actor.Id,
            ["publicKeyMultibase"] = ServerlessFedi.Crypto.ActorKeys.ToMultibase(actor.Ed25519.Public),
        });
        if (actor.SharedInbox is not null)
        {
            doc["endpoints"] = new JsonObject { ["sharedInbox"] = actor.SharedInbox };
        }

        return doc;
    }

    private sealed record GeneratedFile(string ContentType, byte[] Head, long Length, bool DeclareLength, long? BreakAfter)
    {
        private static readonly byte[] Filler = [.. Enumerable.Range(0, 64 * 1024).Select(i => (byte)(i * 31))];

        public async Task WriteAsync(HttpContext context)
        {
            context.Response.ContentType = ContentType;
            if (DeclareLength)
            {
                context.Response.ContentLength = Length;
            }

            await context.Response.Body.WriteAsync(Head, context.RequestAborted);
            var end = Math.Min(Length, BreakAfter ?? Length);
            for (long sent = Head.Length; sent < end;)
            {
                var count = (int)Math.Min(Filler.Length, end - sent);
                await context.Response.Body.WriteAsync(Filler.AsMemory(0, count), context.RequestAborted);
                sent += count;
            }

            if (BreakAfter is not null)
            {
                await context.Response.Body.FlushAsync(context.RequestAborted);
                context.Abort();
            }
        }
    }
}
