using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Configuration;

namespace ServerlessFedi.Remote;

/// <summary>
/// The one client for every remote fetch and delivery. It refuses non-https URLs (plain http only for a bounded GET whose
/// <see cref="RemoteFetchBounds.AllowHttp"/> says so, under the same address checks), URLs with credentials and targets outside
/// <see cref="RemoteAddressPolicy"/> (judged on the address actually connected to, on every redirect hop, so DNS rebinding
/// fails), follows at most three redirects, caps time and body size, and never throws for an HTTP error status.
/// Any port is allowed: the address policy, not the port, is what keeps requests away from internal services.
/// Hosts the operator suspended (<paramref name="hosts"/>) are refused before any connection, on every redirect hop.
/// </summary>
public sealed class RemoteClient(FediOptions options, InstanceUrls urls, TimeProvider time, ILogger<RemoteClient> logger, IRemoteHostPolicy? hosts = null) : IDisposable
{
    /// <summary>The Accept header for ActivityStreams documents (ActivityPub §3.2).</summary>
    public const string ActivityStreamsAccept = "application/activity+json, application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";

    private readonly bool _allowPrivateNetworks = options.AllowPrivateNetworks;
    private readonly string _userAgent = $"ServerlessFedi/{ProductVersion()} (+{urls.Base}/)";
    private readonly RemoteClientLimits _limits = RemoteClientLimits.Default;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve = ResolveWithDnsAsync;
    private readonly Func<IPEndPoint, CancellationToken, ValueTask<Stream>> _connect = ConnectTcpAsync;
    private HttpClient? _http;
    private bool _httpCreated;
    private object? _httpLock;

    /// <summary>Test seam: shorter limits, a fake resolver, and a connector that can record endpoints instead of opening sockets.</summary>
    internal RemoteClient(
        FediOptions options,
        InstanceUrls urls,
        TimeProvider time,
        ILogger<RemoteClient> logger,
        RemoteClientLimits limits,
        Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null,
        Func<IPEndPoint, CancellationToken, ValueTask<Stream>>? connect = null,
        IRemoteHostPolicy? hosts = null)
        : this(options, urls, time, logger, hosts)
    {
        _limits = limits;
        _resolve = resolve ?? ResolveWithDnsAsync;
        _connect = connect ?? ConnectTcpAsync;
    }

    /// <summary>The User-Agent sent with every request: <c>ServerlessFedi/{version} (+{BaseUrl}/)</c>.</summary>
    public string UserAgent => _userAgent;

    // One long-lived handler: pooled connections are recycled every few minutes so DNS changes are picked up.
    private HttpClient Http => LazyInitializer.EnsureInitialized(ref _http, ref _httpCreated, ref _httpLock, CreateHttpClient)!;

    /// <summary>GETs <paramref name="url"/>, following GET redirects (301, 302, 303, 307, 308); signs each hop when a signer is given.</summary>
    /// <exception cref="RemoteFetchException">Refused by policy, over a limit, or no response (see <see cref="RemoteFetchException.Reason"/>).</exception>
    public Task<RemoteResponse> GetAsync(Uri url, string accept, IRequestSigner? signer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentException.ThrowIfNullOrWhiteSpace(accept);
        return SendAsync(HttpMethod.Get, url, accept, body: null, contentType: null, signer, ct);
    }

    /// <summary>An unsigned GET within <paramref name="bounds"/> (a link preview's page or image), otherwise as <see cref="GetAsync(Uri, string, IRequestSigner?, CancellationToken)"/>.</summary>
    /// <exception cref="RemoteFetchException">Refused by policy, over a limit, or no response (see <see cref="RemoteFetchException.Reason"/>).</exception>
    public Task<RemoteResponse> GetBoundedAsync(Uri url, string accept, RemoteFetchBounds bounds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(bounds);
        return SendAsync(HttpMethod.Get, url, accept, body: null, contentType: null, signer: null, ct, bounds);
    }

    /// <summary>
    /// An unsigned GET within <paramref name="bounds"/> whose body is never collected: a 2xx answer of an admitted type is
    /// handed to <paramref name="consume"/> as it arrives, as a stream that fails with
    /// <see cref="RemoteFetchFailure.BodyTooLarge"/> past <see cref="RemoteFetchBounds.MaxBodyBytes"/> (a larger declared
    /// length is refused before reading); any other answer comes back without calling it, its body unread. The whole
    /// exchange, <paramref name="consume"/> included, has <see cref="RemoteFetchBounds.Timeout"/>, which may exceed the
    /// client's own limit (a large file). The returned response's body is empty.
    /// </summary>
    /// <exception cref="RemoteFetchException">Refused by policy, over a limit, or no response, or the body broke off (see <see cref="RemoteFetchException.Reason"/>).</exception>
    public Task<RemoteResponse> GetStreamingAsync(Uri url, string accept, RemoteFetchBounds bounds, Func<Stream, CancellationToken, Task> consume, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(bounds);
        ArgumentNullException.ThrowIfNull(consume);
        return SendAsync(HttpMethod.Get, url, accept, body: null, contentType: null, signer: null, ct, bounds, consume);
    }

    /// <summary>
    /// POSTs <paramref name="body"/> (a delivery). Only 307 and 308 are followed, with the same body and a new signature:
    /// 301 and 302 on POST are ambiguous, and 303 would turn the delivery into a GET that drops the activity yet looks like success;
    /// those come back as the response (Mastodon's http.rb client likewise refuses 301/302 on POST).
    /// </summary>
    /// <exception cref="RemoteFetchException">Refused by policy, over a limit, or no response (see <see cref="RemoteFetchException.Reason"/>).</exception>
    public Task<RemoteResponse> PostAsync(Uri url, byte[] body, string contentType, IRequestSigner? signer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        return SendAsync(HttpMethod.Post, url, ActivityStreamsAccept, body, contentType, signer, ct);
    }

    public void Dispose() => _http?.Dispose();

    private async Task<RemoteResponse> SendAsync(HttpMethod method, Uri url, string accept, byte[]? body, string? contentType, IRequestSigner? signer, CancellationToken ct, RemoteFetchBounds? bounds = null, Func<Stream, CancellationToken, Task>? consume = null)
    {
        try
        {
            var response = await SendWithRedirectsAsync(method, url, accept, body, contentType, signer, bounds, consume, ct);
            if (logger.IsEnabled(LogLevel.Debug))
            {
                logger.LogDebug("Remote {Method} to {Host} answered {Status}", method.Method, response.FinalUrl.Host, response.Status);
            }

            return response;
        }
        catch (RemoteFetchException e)
        {
            var level = e.IsPermanent ? LogLevel.Warning : LogLevel.Information;
            if (logger.IsEnabled(level))
            {
                logger.Log(level, "Remote {Method} to {Host} failed: {Reason}: {Message}", method.Method, url.Host, e.Reason, e.Message);
            }

            throw;
        }
    }

    private async Task<RemoteResponse> SendWithRedirectsAsync(HttpMethod method, Uri url, string accept, byte[]? body, string? contentType, IRequestSigner? signer, RemoteFetchBounds? bounds, Func<Stream, CancellationToken, Task>? consume, CancellationToken ct)
    {
        var allowed = bounds is null || (bounds.Timeout > _limits.RequestTimeout && consume is null) ? _limits.RequestTimeout : bounds.Timeout;
        using var timeout = new CancellationTokenSource(allowed, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        var current = url;
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                CheckUrl(current, bounds);
                await (hosts?.CheckAsync(current, linked.Token) ?? ValueTask.CompletedTask);
                using var request = BuildRequest(method, current, accept, body, contentType);
                signer?.Sign(request, body);
                using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
                var status = (int)response.StatusCode;
                var location = ResolveLocation(current, response);
                if (location is not null && Follows(method, status))
                {
                    if (redirects >= _limits.MaxRedirects)
                    {
                        throw new RemoteFetchException(RemoteFetchFailure.TooManyRedirects, $"{url.Host} redirected more than {_limits.MaxRedirects} times.");
                    }

                    if (logger.IsEnabled(LogLevel.Debug))
                    {
                        logger.LogDebug("Remote {Method} to {Host} redirected with {Status} to {Target}", method.Method, current.Host, status, location.Host);
                    }

                    current = location;
                    continue;
                }

                var type = response.Content.Headers.ContentType?.ToString();
                var max = bounds?.MaxBodyBytes ?? _limits.MaxBodyBytes;
                var bytes = bounds is not null && !bounds.Admits(type) ? []
                    : consume is null ? await RemoteBody.ReadAsync(response, current, max, bounds is { Truncate: true }, linked.Token)
                    : await RemoteBody.StreamAsync(response, current, max, consume, linked.Token);
                return new RemoteResponse(status, current, type, bytes, RetryAfter(response.Headers.RetryAfter), location?.AbsoluteUri);
            }
        }
        catch (Exception e) when (e is not RemoteFetchException && !ct.IsCancellationRequested
            && e is HttpRequestException or OperationCanceledException or IOException or InvalidDataException)
        {
            throw Classify(e, current, timeout.IsCancellationRequested, allowed);
        }
    }

    private static RemoteFetchException Classify(Exception e, Uri url, bool totalTimeoutElapsed, TimeSpan allowed)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is RemoteFetchException fetch)
            {
                return fetch;
            }
        }

        if (totalTimeoutElapsed)
        {
            return new RemoteFetchException(RemoteFetchFailure.Timeout, $"{url.Host} did not answer within {allowed.TotalSeconds:0.###} s.", e);
        }

        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is TimeoutException or OperationCanceledException)
            {
                return new RemoteFetchException(RemoteFetchFailure.Timeout, $"Connecting to {url.Host} timed out.", e);
            }
        }

        return e is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError }
            ? new RemoteFetchException(RemoteFetchFailure.DnsFailure, $"{url.Host} did not resolve.", e)
            : new RemoteFetchException(RemoteFetchFailure.ConnectionFailed, $"Exchange with {url.Host} failed: {e.Message}", e);
    }

    private void CheckUrl(Uri url, RemoteFetchBounds? bounds)
    {
        if (RemoteAddressPolicy.Refusal(url, _allowPrivateNetworks, bounds is { AllowHttp: true }) is { } refused)
        {
            throw refused;
        }
    }

    private HttpRequestMessage BuildRequest(HttpMethod method, Uri url, string accept, byte[]? body, string? contentType)
    {
        // Never HTTP/3: it runs over QUIC, which bypasses ConnectCallback and with it the address policy.
        var request = new HttpRequestMessage(method, url) { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
        request.Headers.TryAddWithoutValidation("Accept", accept);
        request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return request;
    }

    private static bool Follows(HttpMethod method, int status) => method == HttpMethod.Get
        ? status is 301 or 302 or 303 or 307 or 308
        : status is 307 or 308;

    private static Uri? ResolveLocation(Uri current, HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Location", out var values))
        {
            return null;
        }

        var raw = values.FirstOrDefault();
        return string.IsNullOrWhiteSpace(raw) || !Uri.TryCreate(current, raw.Trim(), out var target) ? null : target;
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? value)
    {
        var delay = value switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - time.GetUtcNow(),
            _ => (TimeSpan?)null,
        };
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }

    private HttpClient CreateHttpClient()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = ConnectGuardedAsync,
            ConnectTimeout = _limits.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.All,
        };
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>
    /// Resolves the host itself, drops every forbidden candidate and connects only to the allowed ones, in order.
    /// This runs for each new connection, after every redirect, so what is checked is what is connected to.
    /// </summary>
    private async ValueTask<Stream> ConnectGuardedAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;
        using var connectTimeout = new CancellationTokenSource(_limits.ConnectTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, connectTimeout.Token);
        try
        {
            var candidates = await CandidatesAsync(host, linked.Token);
            var allowed = new List<IPAddress>(candidates.Length);
            string? firstBlocked = null;
            foreach (var candidate in candidates)
            {
                var range = RemoteAddressPolicy.BlockedRange(candidate, _allowPrivateNetworks);
                if (range is null)
                {
                    allowed.Add(candidate.IsIPv4MappedToIPv6 ? candidate.MapToIPv4() : candidate);
                }
                else
                {
                    firstBlocked ??= range;
                    if (logger.IsEnabled(LogLevel.Debug))
                    {
                        logger.LogDebug("Skipping an address of {Host} in a forbidden range: {Range}", host, range);
                    }
                }
            }

            if (allowed.Count == 0)
            {
                throw new RemoteFetchException(RemoteFetchFailure.BlockedAddress, $"Refused {host}: every address is forbidden ({firstBlocked}).");
            }

            Exception? last = null;
            foreach (var address in allowed)
            {
                try
                {
                    return await _connect(new IPEndPoint(address, port), linked.Token);
                }
                catch (Exception e) when (e is SocketException or IOException)
                {
                    last = e;
                }
            }

            throw new RemoteFetchException(RemoteFetchFailure.ConnectionFailed, $"Could not connect to {host}:{port}.", last);
        }
        catch (OperationCanceledException e) when (connectTimeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new RemoteFetchException(RemoteFetchFailure.Timeout, $"Connecting to {host} took longer than {_limits.ConnectTimeout.TotalSeconds:0.###} s.", e);
        }
    }

    private async Task<IPAddress[]> CandidatesAsync(string host, CancellationToken ct)
    {
        if (RemoteAddressPolicy.FixedAddress(host) is { } literal)
        {
            return [literal];
        }

        IPAddress[] addresses;
        try
        {
            addresses = await _resolve(host, ct);
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            throw new RemoteFetchException(RemoteFetchFailure.DnsFailure, $"{host} did not resolve.", e);
        }

        return addresses.Length > 0
            ? addresses
            : throw new RemoteFetchException(RemoteFetchFailure.DnsFailure, $"{host} has no addresses.");
    }

    private static Task<IPAddress[]> ResolveWithDnsAsync(string host, CancellationToken ct) => Dns.GetHostAddressesAsync(host, ct);

    private static async ValueTask<Stream> ConnectTcpAsync(IPEndPoint endpoint, CancellationToken ct)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string ProductVersion()
    {
        var version = typeof(RemoteClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
