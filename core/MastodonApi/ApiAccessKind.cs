namespace ServerlessFedi.MastodonApi;

/// <summary>How <see cref="ApiEndpoint"/> authenticates a request (see <see cref="ApiAccess"/>).</summary>
public enum ApiAccessKind
{
    /// <summary>A user token with the scope is required (401 without, 403 for too narrow a token).</summary>
    Token,

    /// <summary>Anonymous requests are answered (rate limited by address); a token that is sent is checked as for <see cref="Token"/>.</summary>
    OptionalToken,

    /// <summary>No token is read; the request counts against its client address's rate limit.</summary>
    Anonymous,

    /// <summary>No token is read and nothing is counted.</summary>
    Open,
}
