using System.Globalization;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.OAuth;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// One authenticated client API call as <see cref="ApiEndpoint"/> hands it to a handler: the caller (when any), its
/// token, its parameters, and readers for the query-string conventions Mastodon's endpoints share.
/// </summary>
public sealed class ApiRequest(HttpRequest http, LocalAccount? viewer, AccessToken? token, ApiParameters parameters, Func<Team.PendingAudit>? prepareAudit = null)
{
    private Team.PendingAudit? _audit;

    public HttpRequest Http { get; } = http;

    /// <summary>The signed-in account; null for anonymous calls (only with optional or no token).</summary>
    public LocalAccount? Viewer { get; } = viewer;

    /// <summary>The signed-in account of an endpoint that requires a token.</summary>
    public LocalAccount Account => Viewer ?? throw new InvalidOperationException("The endpoint does not require a token");

    public AccessToken? Token { get; } = token;

    /// <summary>The audit row of a write made with a token, prepared when first asked for (null otherwise).</summary>
    public Team.PendingAudit? Audit => _audit ??= prepareAudit?.Invoke();

    /// <summary>The row <see cref="Audit"/> prepared, if a handler asked for it; null otherwise.</summary>
    internal Team.PendingAudit? PreparedAudit => _audit;

    /// <summary>
    /// Set by a handler whose service sent <see cref="Audit"/> in a queue message before the write: the message records it,
    /// so <see cref="ApiEndpoint"/> does not.
    /// </summary>
    public bool AuditQueued { get; set; }

    /// <summary>Query parameters, plus form or JSON body parameters when the endpoint reads them.</summary>
    public ApiParameters Parameters { get; } = parameters;

    /// <summary>A query parameter as sent (repeated values joined by commas), or the empty string.</summary>
    public string Query(string name) => Http.Query[name].ToString();

    /// <summary>A query flag: <c>true</c> or <c>1</c>.</summary>
    public bool Flag(string name) => IsFlag(Http.Query, name);

    /// <summary>A query flag (<see cref="Flag"/>) read before authentication.</summary>
    public static bool IsFlag(IQueryCollection query, string name) => query?[name].ToString() is "true" or "1";

    /// <summary><c>limit</c> from the query: <paramref name="defaultLimit"/> when absent or not a number, clamped to 1..<paramref name="maxLimit"/>.</summary>
    public int Limit(int defaultLimit, int maxLimit) =>
        Math.Clamp(int.TryParse(Http.Query["limit"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : defaultLimit, 1, maxLimit);

    /// <summary>The page cursor from the query (<see cref="PageRequest"/>).</summary>
    public PageRequest Page(int defaultLimit = 20, int maxLimit = 40) => PageRequest.Parse(Http.Query, defaultLimit, maxLimit);
}
