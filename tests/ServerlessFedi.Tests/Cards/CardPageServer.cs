using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Tests.Media;

namespace ServerlessFedi.Tests.Cards;

/// <summary>
/// Web pages on 127.0.0.1 for link previews: a page with OpenGraph tags and a photo (carrying GPS EXIF), and the hostile
/// ones (script in its title, an image on a private address, a huge image, a page that never ends, a slow page, JSON,
/// redirects). Counts the requests per path.
/// </summary>
internal sealed class CardPageServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();

    private CardPageServer(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = null!;

    public ConcurrentDictionary<string, int> Hits { get; } = new(StringComparer.Ordinal);

    public static async Task<CardPageServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var server = new CardPageServer(app);
        server.MapRoutes();
        await app.StartAsync();
        server.BaseUri = new Uri(app.Urls.First());
        return server;
    }

    public string Url(string path) => new Uri(BaseUri, path).AbsoluteUri;

    public int HitsOf(string path) => Hits.TryGetValue(path, out var n) ? n : 0;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    public static string Page(string head, string lang = "de") =>
        $"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">{head}</head><body><p>Body text that no card reads.</p></body></html>";

    private void MapRoutes()
    {
        Html("/article", Page(
            "<title>Fallback title</title><meta property=\"og:title\" content=\"Hochwasser: Pegel &amp; Warnungen\">"
            + "<meta property=\"og:description\" content=\"Aktuelle Pegelstände des Landes.\"><meta property=\"og:site_name\" content=\"Landesamt\">"
            + "<meta property=\"og:image\" content=\"/photo.jpg\"><meta property=\"og:image:alt\" content=\"Ein Fluss über den Ufern\">"
            + "<meta name=\"author\" content=\"Pressestelle\"><meta property=\"article:published_time\" content=\"2026-11-30T08:00:00+01:00\">"));
        Html("/plain", Page("<title>  Only a\n title </title><meta name=\"description\" content=\"From the description tag.\">", lang: "en-GB"));
        Html("/twitter", Page("<meta name=\"twitter:title\" content=\"Twitter title\"><meta name=\"twitter:description\" content=\"Twitter description\">"));
        Html("/hostile", Page(
            "<meta property=\"og:title\" content=\"&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;Bold&lt;/b&gt; claim\">"
            + "<meta property=\"og:description\" content=\"&lt;img src=x onerror=alert(2)&gt;Text\">"
            + "<meta property=\"og:image\" content=\"http://10.0.0.1/internal.png\">"));
        Html("/huge-image", Page("<meta property=\"og:title\" content=\"Huge image\"><meta property=\"og:image\" content=\"/huge.jpg\">"));
        Html("/bomb-image", Page("<meta property=\"og:title\" content=\"Bomb image\"><meta property=\"og:image\" content=\"/bomb.png\">"));
        Html("/no-title", Page("<meta property=\"og:description\" content=\"A description without a title\">"));
        Html("/latin1", "<html><head><title>Stra\u00dfe und Gr\u00fc\u00dfe</title></head></html>", "text/html; charset=iso-8859-1", Encoding.Latin1);
        Html("/meta-charset", "<html><head><meta charset=\"windows-1252\"><title>Caf\u00e9 \u20ac</title></head></html>", "text/html", CodePagesEncodingProvider.Instance.GetEncoding(1252)!);

        _app.Map("/photo.jpg", async (HttpContext c) =>
        {
            Count(c);
            c.Response.ContentType = "image/jpeg";
            await c.Response.Body.WriteAsync(MediaFixtures.Read("exif-orientation6-gps.jpg"));
        });
        _app.Map("/bomb.png", async (HttpContext c) =>
        {
            Count(c);
            c.Response.ContentType = "image/png";
            await c.Response.Body.WriteAsync(MediaFixtures.Read("bomb.png"));
        });
        _app.Map("/huge.jpg", async (HttpContext c) =>
        {
            Count(c);
            c.Response.ContentType = "image/jpeg";
            var chunk = new byte[64 * 1024];
            for (var sent = 0; sent < 3 * 1024 * 1024 && !c.RequestAborted.IsCancellationRequested; sent += chunk.Length)
            {
                await c.Response.Body.WriteAsync(chunk, c.RequestAborted);
            }
        });
        _app.Map("/endless", async (HttpContext c) =>
        {
            Count(c);
            c.Response.ContentType = "text/html; charset=utf-8";
            await c.Response.WriteAsync(Page("<meta property=\"og:title\" content=\"Endless\">").Replace("</body></html>", "", StringComparison.Ordinal));
            var filler = Encoding.UTF8.GetBytes(new string('x', 60_000) + "\n");
            try
            {
                while (!_stopping.IsCancellationRequested)
                {
                    await c.Response.Body.WriteAsync(filler, c.RequestAborted);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        _app.Map("/slow", async (HttpContext c) =>
        {
            Count(c);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(c.RequestAborted, _stopping.Token);
            try
            {
                await Task.Delay(Timeout.Infinite, either.Token);
            }
            catch (OperationCanceledException)
            {
            }
        });
        _app.Map("/by/{handle}", async (HttpContext c) =>
        {
            Count(c);
            c.Response.ContentType = "text/html; charset=utf-8";
            var handle = System.Net.WebUtility.HtmlEncode((string?)c.Request.RouteValues["handle"]);
            await c.Response.WriteAsync(Page($"<meta property=\"og:title\" content=\"A column\"><meta name=\"fediverse:creator\" content=\"@{handle}\">"));
        });
        _app.Map("/json", async (HttpContext c) =>
        {
            Count(c);
            c.Response.ContentType = "application/json";
            await c.Response.WriteAsync("{\"title\":\"<meta property='og:title' content='not html'>\"}");
        });
        _app.Map("/moved", (HttpContext c) =>
        {
            Count(c);
            c.Response.StatusCode = 302;
            c.Response.Headers.Location = "/plain";
            return Task.CompletedTask;
        });
        _app.Map("/to-private", (HttpContext c) =>
        {
            Count(c);
            c.Response.StatusCode = 302;
            c.Response.Headers.Location = "http://192.168.1.10/admin";
            return Task.CompletedTask;
        });
        _app.Map("/loop/{n:int}", (HttpContext c, int n) =>
        {
            Count(c);
            c.Response.StatusCode = 302;
            c.Response.Headers.Location = $"/loop/{n + 1}";
            return Task.CompletedTask;
        });
    }

    private void Html(string path, string html, string contentType = "text/html; charset=utf-8", Encoding? encoding = null) =>
        _app.Map(path, async (HttpContext c) =>
        {
            Count(c);
            c.Response.ContentType = contentType;
            await c.Response.Body.WriteAsync((encoding ?? Encoding.UTF8).GetBytes(html));
        });

    private void Count(HttpContext c) => Hits.AddOrUpdate(c.Request.Path.Value ?? "", 1, (_, n) => n + 1);
}
