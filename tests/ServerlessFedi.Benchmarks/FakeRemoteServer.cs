using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ServerlessFedi.Benchmarks;

/// <summary>
/// Every remote server of the benchmark on one loopback Kestrel port: the remote client resolves all
/// <c>*.bench.invalid</c> names to it, and the <c>Host</c> header tells the servers apart. GET <c>/users/{name}</c> serves
/// an actor document (all actors share one RSA key); every POST is an inbox that drains the body and answers 202 at once.
/// </summary>
public sealed class FakeRemoteServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _inboxes = new(StringComparer.Ordinal);
    private long _posts;
    private long _unsigned;
    private long _actorFetches;
    private long _lastPostAt;

    private FakeRemoteServer(WebApplication app, string publicKeyPem)
    {
        _app = app;
        PublicKeyPem = publicKeyPem;
    }

    public int Port { get; private set; }

    public string PublicKeyPem { get; }

    public long Posts => Interlocked.Read(ref _posts);

    public long UnsignedPosts => Interlocked.Read(ref _unsigned);

    public long ActorFetches => Interlocked.Read(ref _actorFetches);

    /// <summary>When the last POST arrived (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>), its body read.</summary>
    public long LastPostAt => Interlocked.Read(ref _lastPostAt);

    /// <summary>Distinct inboxes (host and path) that received at least one POST since the last <see cref="Reset"/>.</summary>
    public int DistinctInboxes => _inboxes.Count;

    /// <summary>The most POSTs one inbox received since the last <see cref="Reset"/> (1 when nothing was delivered twice).</summary>
    public int MaxPostsPerInbox => _inboxes.IsEmpty ? 0 : _inboxes.Values.Max();

    /// <summary>Actor id of <paramref name="user"/> on <paramref name="host"/>, a name under <c>bench.invalid</c>.</summary>
    public string ActorId(string host, string user) => $"http://{host}:{Port}/users/{user}";

    public string SharedInbox(string host) => $"http://{host}:{Port}/inbox";

    public static async Task<FakeRemoteServer> StartAsync(string publicKeyPem)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        var server = new FakeRemoteServer(app, publicKeyPem);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.Port = new Uri(address).Port;
        return server;
    }

    public void Reset()
    {
        _inboxes.Clear();
        Interlocked.Exchange(ref _posts, 0);
        Interlocked.Exchange(ref _unsigned, 0);
        Interlocked.Exchange(ref _actorFetches, 0);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsPost(request.Method))
        {
            // A pooled buffer: the sink's own cost is not the instance's, so it allocates nothing per POST.
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                while (await request.Body.ReadAsync(buffer, context.RequestAborted) > 0)
                {
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }

            Interlocked.Exchange(ref _lastPostAt, System.Diagnostics.Stopwatch.GetTimestamp());
            Interlocked.Increment(ref _posts);
            if (!request.Headers.ContainsKey("Signature"))
            {
                Interlocked.Increment(ref _unsigned);
            }

            _inboxes.AddOrUpdate(request.Host.Value + request.Path.Value, 1, (_, n) => n + 1);
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }

        var path = request.Path.Value ?? "";
        if (HttpMethods.IsGet(request.Method) && path.StartsWith("/users/", StringComparison.Ordinal) && path.IndexOf('/', 7) < 0)
        {
            Interlocked.Increment(ref _actorFetches);
            var origin = $"http://{request.Host.Value}";
            var id = origin + path;
            var actor = new JsonObject
            {
                ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"),
                ["id"] = id,
                ["type"] = "Person",
                ["preferredUsername"] = path[7..],
                ["inbox"] = id + "/inbox",
                ["outbox"] = id + "/outbox",
                ["endpoints"] = new JsonObject { ["sharedInbox"] = origin + "/inbox" },
                ["publicKey"] = new JsonObject { ["id"] = id + "#main-key", ["owner"] = id, ["publicKeyPem"] = PublicKeyPem },
            };
            context.Response.ContentType = "application/activity+json";
            await context.Response.WriteAsync(actor.ToJsonString(), context.RequestAborted);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
    }
}
