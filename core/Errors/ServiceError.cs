namespace ServerlessFedi.Errors;

/// <summary>
/// Why a domain operation refused, in the protocol-neutral words services use; the client API turns each into an HTTP
/// status and Mastodon's <c>{"error": ...}</c> in one place (<c>MastodonApi.ApiResults.Error</c>).
/// </summary>
public enum ServiceError
{
    /// <summary>The thing does not exist or is not visible to the caller (Mastodon answers both alike).</summary>
    NotFound,

    /// <summary>The input breaks a rule (Mastodon's "Validation failed").</summary>
    Invalid,

    /// <summary>The caller may not do this to this thing.</summary>
    Forbidden,

    /// <summary>Another request for the same thing is still running; the client should retry.</summary>
    Busy,
}
