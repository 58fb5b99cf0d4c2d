using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ServerlessFedi.Tests.Remote;

/// <summary>A tiny Kestrel server on 127.0.0.1 playing the remote peer: records what arrives and misbehaves on demand.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    public const int ThreeMiB = 3 * 1024 * 1024;

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();

    private LoopbackServer(WebApplication app)
    {
        _app = app;
    }

    public Uri BaseUri { get; private set; } = null!;

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    /// <summary>Completed when a request reaches a route that then stalls (<c>/hang</c>, <c>/hang-body</c>).</summary>
    public TaskCompletionSource Stalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<LoopbackServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var server = new LoopbackServer(app);
        server.MapRoutes();
        await app.StartAsync();
        server.BaseUri = new Uri(app.Urls.First());
        return server;
    }

    public Uri Url(string pathAndQuery) => new(BaseUri, pathAndQuery);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private void MapRoutes()
    {
        _app.Map("/echo", async (HttpContext c) =>
        {
            await RecordAsync(c);
            c.Response.ContentType = "application/activity+json; charset=utf-8";
            await c.Response.WriteAsync("{\"ok\":true}");
        });

        _app.Map("/status/{code:int}", async (HttpContext c, int code) =>
        {
            await RecordAsync(c);
            c.Response.StatusCode = code;
            if (c.Request.Query.TryGetValue("retry", out var retry))
            {
                c.Response.Headers.RetryAfter = retry.ToString();
            }

            await c.Response.WriteAsync($"status {code}");
        });

        _app.Map("/bytes/{count:int}", async (HttpContext c, int count) =>
        {
            await RecordAsync(c);
            var body = new byte[count];
            if (c.Request.Query.ContainsKey("chunked"))
            {
                // No Content-Length: the client only finds out while reading.
                for (var offset = 0; offset < count; offset += 64 * 1024)
                {
                    await c.Response.Body.WriteAsync(body.AsMemory(offset, Math.Min(64 * 1024, count - offset)), c.RequestAborted);
                }

                return;
            }

            c.Response.ContentLength = count;
            await c.Response.Body.WriteAsync(body, c.RequestAborted);
        });

        _app.Map("/gzip-bomb", async (HttpContext c) =>
        {
            await RecordAsync(c);
            using var compressed = new MemoryStream();
            await using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                await gzip.WriteAsync(new byte[ThreeMiB]);
            }

            c.Response.Headers.ContentEncoding = "gzip";
            c.Response.ContentLength = compressed.Length;
            await c.Response.Body.WriteAsync(compressed.ToArray(), c.RequestAborted);
        });

        _app.Map("/hang", async (HttpContext c) =>
        {
            await RecordAsync(c);
            Stalled.TrySetResult();
            await WaitUntilAbortedAsync(c);
        });

        _app.Map("/hang-body", async (HttpContext c) =>
        {
            await RecordAsync(c);
            c.Response.ContentLength = 1000;
            await c.Response.Body.WriteAsync(new byte[10]);
            await c.Response.Body.FlushAsync();
            Stalled.TrySetResult();
            await WaitUntilAbortedAsync(c);
        });

        _app.Map("/redirect/{remaining:int}", async (HttpContext c, int remaining) =>
        {
            await RecordAsync(c);
            c.Response.StatusCode = 302;
            c.Response.Headers.Location = remaining > 1 ? $"/redirect/{remaining - 1}" : "/echo";
        });

        _app.Map("/to/{status:int}", async (HttpContext c, int status) =>
        {
            await RecordAsync(c);
            c.Response.StatusCode = status;
            c.Response.Headers.Location = c.Request.Query["url"].ToString();
        });
    }

    private async Task WaitUntilAbortedAsync(HttpContext c)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(c.RequestAborted, _stopping.Token);
        try
        {
            await Task.Delay(Timeout.Infinite, either.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RecordAsync(HttpContext c)
    {
        using var body = new MemoryStream();
        await c.Request.Body.CopyToAsync(body);
        var headers = c.Request.Headers;
        Received.Enqueue(new ReceivedRequest(
            c.Request.Method,
            c.Request.Path + c.Request.QueryString,
            headers.Accept.ToString(),
            headers.UserAgent.ToString(),
            headers.AcceptEncoding.ToString(),
            headers.ContentType.ToString(),
            headers[RecordingSigner.HeaderName].ToString(),
            headers.Cookie.ToString(),
            Encoding.UTF8.GetString(body.ToArray())));
    }
}

internal sealed record ReceivedRequest(
    string Method,
    string Path,
    string Accept,
    string UserAgent,
    string AcceptEncoding,
    string ContentType,
    string Signature,
    string Cookie,
    string Body);
