using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ServerlessFedi.Tests.Storage;

/// <summary>
/// A transport for the real storage clients against real Azurite: it records every attempt sent (as storage bills them,
/// retries included) and fails the attempts that match an armed fault, either before the request leaves (storage never
/// sees it) or after (storage did it, the answer is lost). It sits where the network does, under the clients' whole
/// pipeline, so their retry policy classifies and retries an injected failure as it would the service's.
/// </summary>
internal sealed class StorageFaults : HttpPipelineTransport
{
    private readonly HttpPipelineTransport _network = new HttpClientTransport();

    private readonly ConcurrentQueue<Fault> _faults = new();

    private readonly ConcurrentQueue<(Func<string, bool> Match, Func<Task> Interleave)> _interleaves = new();

    /// <summary>Every attempt, as <c>METHOD path</c> (account name, query and host left out).</summary>
    public ConcurrentQueue<string> Attempts { get; } = new();

    /// <summary>Attempts failed on purpose, with the time each was made.</summary>
    public ConcurrentQueue<(string Request, DateTimeOffset At)> Injected { get; } = new();

    /// <summary>Makes this the transport of a client's options (for <c>StorageAccount.FromConfiguration</c>'s callback).</summary>
    public void AddTo(ClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Transport = this;
    }

    /// <summary>Fails the next <paramref name="times"/> attempts whose <c>METHOD path</c> matches with <paramref name="status"/>.</summary>
    public void Fail(Func<string, bool> match, int times, int status = 503, bool afterSending = false) =>
        _faults.Enqueue(new Fault(match, status, afterSending) { Remaining = times });

    public void Clear() => _faults.Clear();

    /// <summary>
    /// Runs <paramref name="interleave"/> once, before the next attempt that matches goes out: another writer's work
    /// placed at an exact point of this one (its own attempts pass through here as usual).
    /// </summary>
    public void Before(Func<string, bool> match, Func<Task> interleave) =>
        _interleaves.Enqueue((match, interleave));

    /// <summary>How many attempts so far matched <paramref name="match"/>.</summary>
    public int Count(Func<string, bool> match) => Attempts.Count(match);

    public override Request CreateRequest() => _network.CreateRequest();

    public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var request = Describe(message.Request);
        if (_interleaves.TryPeek(out var next) && next.Match(request) && _interleaves.TryDequeue(out var interleave))
        {
            await interleave.Interleave();
        }

        Attempts.Enqueue(request);
        var fault = _faults.FirstOrDefault(f => f.Remaining > 0 && f.Match(request));
        if (fault is null || Interlocked.Decrement(ref fault.Remaining) < 0)
        {
            await _network.ProcessAsync(message);
            return;
        }

        Injected.Enqueue((request, DateTimeOffset.UtcNow));
        if (fault.AfterSending)
        {
            await _network.ProcessAsync(message);
            message.Response.Dispose();
        }

        message.Response = new InjectedResponse(fault.Status, message.Request.ClientRequestId);
    }

    /// <summary><c>DELETE /queue/messages/id</c>: the path after the account name, without the query.</summary>
    private static string Describe(Request request)
    {
        var path = request.Uri.Path;
        var second = path.IndexOf('/', 1);
        return $"{request.Method} {(second < 0 ? path : path[second..])}";
    }

    private sealed class Fault(Func<string, bool> match, int status, bool afterSending)
    {
        public int Remaining;

        public Func<string, bool> Match => match;

        public int Status => status;

        public bool AfterSending => afterSending;
    }

    private sealed class InjectedResponse(int status, string clientRequestId) : Response
    {
        public override int Status => status;

        public override string ReasonPhrase => "Injected fault";

        public override Stream? ContentStream { get; set; } = new MemoryStream();

        public override string ClientRequestId { get; set; } = clientRequestId;

        public override void Dispose() => ContentStream?.Dispose();

        protected override bool ContainsHeader(string name) => false;

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];

        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
        {
            value = null;
            return false;
        }

        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = null;
            return false;
        }
    }
}
