using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ServerlessFedi.Tests.Push;

/// <summary>
/// A push service (RFC 8030) played by Kestrel on 127.0.0.1: records every push (headers and body) and answers 201, or the
/// statuses a test scripts for a path.
/// </summary>
internal sealed class FakePushService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _scripts = new(StringComparer.Ordinal);

    private FakePushService(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public ConcurrentQueue<ReceivedPush> Received { get; } = new();

    public static async Task<FakePushService> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var service = new FakePushService(app);
        app.Run(service.HandleAsync);
        await app.StartAsync();
        service.BaseUrl = app.Urls.First().TrimEnd('/');
        return service;
    }

    /// <summary>The next pushes to <paramref name="path"/> are answered with <paramref name="statuses"/>, in turn.</summary>
    public void Script(string path, params int[] statuses)
    {
        var queue = _scripts.GetOrAdd(path, _ => new ConcurrentQueue<int>());
        foreach (var status in statuses)
        {
            queue.Enqueue(status);
        }
    }

    public IReadOnlyList<ReceivedPush> To(string path) => Received.Where(r => r.Path == path).ToList();

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var path = context.Request.Path.Value ?? "";
        Received.Enqueue(new ReceivedPush(path, headers, buffer.ToArray()));
        context.Response.StatusCode = _scripts.TryGetValue(path, out var script) && script.TryDequeue(out var status) ? status : StatusCodes.Status201Created;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>One push as the service received it.</summary>
internal sealed record ReceivedPush(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body);
