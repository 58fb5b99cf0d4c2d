using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace ServerlessFedi.Tests.Infrastructure;

/// <summary>
/// Counts the storage transactions the host sends while serving requests that carry <see cref="Header"/>, by the
/// header's value, from the <c>Azure-Core</c> event source (one <c>Request</c> event per attempt on the wire, written on
/// the sending flow, as the benchmark's <c>StorageCounter</c> counts them). Other tests running at the same time are
/// not counted: their flows carry no tag. Register <see cref="StartupFilter"/> in the instance's services. Sequential
/// steps are counted as the benchmark's <c>StorageCounter</c> counts them: a transaction sent while none of the same tag
/// is in flight (between its <c>Request</c> event and its response's) starts a step; transactions sent together count once.
/// </summary>
internal sealed class StorageTransactions : EventListener
{
    public const string Header = "X-Test-Storage-Tag";

    private static readonly AsyncLocal<string?> Tag = new();

    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int InFlight, int Steps)> _flights = new(StringComparer.Ordinal);
    // Process-wide: every listener sees every tagged flow, and test classes run in parallel, so a tag names one request
    // of one class only if no other instance can make the same one.
    private static int _tags;

    /// <summary>Tags the request's flow with the value of <see cref="Header"/>.</summary>
    public static IStartupFilter StartupFilter { get; } = new TagFilter();

    /// <summary>Tags the calling flow (and what it awaits) with <paramref name="tag"/>, for calls made without a request; null untags it.</summary>
    public static void TagFlow(string? tag) => Tag.Value = tag;

    /// <summary>Transactions sent while serving requests tagged <paramref name="tag"/>.</summary>
    public int Of(string tag) => _counts.TryGetValue(tag, out var n) ? n : 0;

    /// <summary>Sequential steps of the transactions sent while serving requests tagged <paramref name="tag"/>.</summary>
    public int StepsOf(string tag)
    {
        lock (_flights)
        {
            return _flights.TryGetValue(tag, out var f) ? f.Steps : 0;
        }
    }

    /// <summary>
    /// Sends one API request with <paramref name="token"/> on <paramref name="http"/> under a fresh tag, asserts a 200, and
    /// answers its JSON body with the storage transactions the host sent while serving it.
    /// </summary>
    public async Task<(JsonElement Body, int Transactions)> SendAsync(HttpClient http, HttpMethod method, string path, string token)
    {
        var counted = await SendCountedAsync(http, method, path, token);
        Assert.AreEqual(HttpStatusCode.OK, counted.Status, counted.Text);
        return (JsonDocument.Parse(counted.Text).RootElement.Clone(), counted.Transactions);
    }

    /// <summary>
    /// Sends one API request with <paramref name="token"/> on <paramref name="http"/> under a fresh tag, whatever it answers:
    /// its status and body, and the storage transactions and sequential steps the host spent serving it.
    /// </summary>
    public async Task<CountedResponse> SendCountedAsync(HttpClient http, HttpMethod method, string path, string token)
    {
        ArgumentNullException.ThrowIfNull(http);
        var tag = "request" + Interlocked.Increment(ref _tags);
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add(Header, tag);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new CountedResponse(response.StatusCode, text, Of(tag), StepsOf(tag));
    }

    /// <summary>
    /// A page's first request (cold: nothing of it read yet in the process, as far as this test goes) and
    /// <paramref name="warm"/> more of the same, one after another, each counted as <see cref="SendCountedAsync"/> counts.
    /// </summary>
    public async Task<ColdAndWarm> ColdThenWarmAsync(HttpClient http, string path, string token, int warm = 3)
    {
        var cold = await SendCountedAsync(http, HttpMethod.Get, path, token);
        var warmer = new List<CountedResponse>();
        for (var i = 0; i < warm; i++)
        {
            warmer.Add(await SendCountedAsync(http, HttpMethod.Get, path, token));
        }

        return new ColdAndWarm(cold, warmer);
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        // Runs from the base constructor too, before this instance is initialised: touch no instance state here.
        ArgumentNullException.ThrowIfNull(eventSource);
        if (eventSource.Name == "Azure-Core")
        {
            EnableEvents(eventSource, EventLevel.Informational);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        switch (eventData.EventName)
        {
            case "Request" when Tag.Value is { } tag:
                _counts.AddOrUpdate(tag, 1, (_, n) => n + 1);
                if (Payload(eventData, "requestId") is { } sent)
                {
                    lock (_flights)
                    {
                        var f = _flights.GetValueOrDefault(tag);
                        _flights[tag] = (f.InFlight + 1, f.InFlight == 0 ? f.Steps + 1 : f.Steps);
                    }

                    _pending[sent] = tag;
                }

                break;
            case "Response" or "ErrorResponse" or "ExceptionResponse" when Payload(eventData, "requestId") is { } answered && _pending.TryRemove(answered, out var of):
                lock (_flights)
                {
                    var f = _flights[of];
                    _flights[of] = (Math.Max(0, f.InFlight - 1), f.Steps);
                }

                break;
        }
    }

    private static string? Payload(EventWrittenEventArgs e, string name) =>
        e.PayloadNames?.IndexOf(name) is >= 0 and var index ? e.Payload![index] as string : null;

    private sealed class TagFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                Tag.Value = context.Request.Headers[Header] is [{ } tag] ? tag : null;
                await nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>An API answer with the storage transactions and sequential steps spent on it (<see cref="StorageTransactions"/>).</summary>
internal sealed record CountedResponse(HttpStatusCode Status, string Text, int Transactions, int Steps);

/// <summary>A page asked for once cold and then warm (<see cref="StorageTransactions.ColdThenWarmAsync"/>).</summary>
internal sealed record ColdAndWarm(CountedResponse Cold, IReadOnlyList<CountedResponse> Warm)
{
    /// <summary>Each warm request's transactions and steps, then the cold one's: for assertion messages.</summary>
    public string Seen => string.Join(", ", Warm.Select(w => $"{w.Transactions} tx / {w.Steps} steps")) + $" (cold {Cold.Transactions} tx / {Cold.Steps} steps)";
}
