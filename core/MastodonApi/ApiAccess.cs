namespace ServerlessFedi.MastodonApi;

/// <summary>
/// Who may call an endpoint (docs: api/oauth-scopes) and whether it reads body parameters; the first step of
/// <see cref="ApiEndpoint"/>.
/// <code>
/// ApiAccess.Token("write:statuses").WithParameters()   // a token with the scope; query, form or JSON parameters
/// ApiAccess.OptionalToken("read:statuses")             // anonymous allowed; a token that is sent must be valid and cover the scope
/// ApiAccess.Anonymous                                  // no token looked at; counted by client address
/// ApiAccess.Open                                       // no token, not counted (documents apps read before anything else)
/// </code>
/// </summary>
public sealed record ApiAccess(ApiAccessKind Kind, string? Scope, bool ReadsParameters = false)
{
    public static ApiAccess Anonymous { get; } = new(ApiAccessKind.Anonymous, null);

    public static ApiAccess Open { get; } = new(ApiAccessKind.Open, null);

    public static ApiAccess Token(string scope) => new(ApiAccessKind.Token, scope);

    public static ApiAccess OptionalToken(string scope) => new(ApiAccessKind.OptionalToken, scope);

    /// <summary>Also read form and JSON bodies into <see cref="ApiRequest.Parameters"/> (400 when the body cannot be parsed).</summary>
    public ApiAccess WithParameters() => this with { ReadsParameters = true };
}
