using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Crypto;
using ServerlessFedi.Http;
using ServerlessFedi.Localization;
using ServerlessFedi.MastodonApi;
using ServerlessFedi.Storage;

namespace ServerlessFedi.OAuth;

/// <summary>
/// The authorization server (docs: methods/oauth, spec/oauth; RFC 6749, 7009, 7636, 8414): the login form, codes,
/// tokens, revocation and the metadata document.
/// </summary>
public sealed partial class OAuthHandler(
    OAuthApplicationStore applications,
    AuthorizationCodeStore codes,
    AccessTokenStore tokens,
    AccountStore accounts,
    LoginThrottle throttle,
    ClientAddress addresses,
    OAuthPages pages,
    InstanceUrls urls,
    TimeProvider time)
{
    // Verified when the login names no account, so unknown and known names take the same time (no enumeration by timing).
    private static readonly Lazy<string> DummyHash = new(() => PasswordHasher.Hash(OAuthSecrets.NewToken()));

    /// <summary>GET /oauth/authorize: the login form, with a fresh (or the existing) CSRF token in cookie and form.</summary>
    public async Task<WireResult> AuthorizeFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (p, _) = await ApiParameters.ReadAsync(request, cancellationToken);
        if (p is null)
        {
            return pages.Error(StatusCodes.Status400BadRequest, OAuthPageError.InvalidRequest, pages.Language(request, null));
        }

        var language = pages.Language(request, p.Get("lang"));
        var (authorization, failure) = await ValidateAsync(p, language, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        // force_login is honoured by construction: there is no login session, every authorization asks for the password.
        var existing = request.Cookies[pages.CsrfCookieName];
        var csrf = OAuthSecrets.LooksLikeToken(existing) ? existing! : OAuthSecrets.NewToken();
        return pages.Login(authorization!, csrf, language);
    }

    /// <summary>POST /oauth/authorize: CSRF check, password check with lockout, then a code to the redirect URI.</summary>
    public async Task<WireResult> AuthorizeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasFormContentType)
        {
            return pages.Error(StatusCodes.Status400BadRequest, OAuthPageError.NotAForm, pages.Language(request, null));
        }

        var (p, _) = await ApiParameters.ReadAsync(request, cancellationToken);
        if (p is null)
        {
            return pages.Error(StatusCodes.Status400BadRequest, OAuthPageError.InvalidRequest, pages.Language(request, null));
        }

        var language = pages.Language(request, p.Get("lang"));
        var cookie = request.Cookies[pages.CsrfCookieName];
        var field = p.Get("csrf_token");
        if (!OAuthSecrets.LooksLikeToken(cookie) || !OAuthSecrets.LooksLikeToken(field) || !OAuthSecrets.FixedTimeEquals(cookie, field))
        {
            return pages.Error(StatusCodes.Status403Forbidden, OAuthPageError.FormExpired, language);
        }

        var (authorization, failure) = await ValidateAsync(p, language, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var login = (p.Get("username") ?? "").Trim();
        var password = p.Get("password") ?? "";
        if (login.Length is 0 or > 320 || password.Length > 1024)
        {
            return pages.Login(authorization!, cookie!, language, StatusCodes.Status401Unauthorized, OAuthPageError.WrongCredentials);
        }

        var account = login.Contains('@', StringComparison.Ordinal) && !login.StartsWith('@')
            ? await accounts.GetByEmailAsync(login, cancellationToken)
            : await accounts.GetByUsernameAsync(login.TrimStart('@'), cancellationToken);
        var subject = account?.Id ?? "u" + StorageKeys.Sha256Hex(login.ToLowerInvariant());

        // The check is counted before it runs (LoginThrottle), so parallel guesses cannot outrun the count.
        var claim = await throttle.ClaimAsync(subject, addresses.Of(request), cancellationToken);
        if (!claim.IsAdmitted)
        {
            return pages.Error(StatusCodes.Status429TooManyRequests, OAuthPageError.TooManyAttempts, language)
                .WithHeader("Retry-After", Math.Max(1, (int)Math.Ceiling(claim.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        // One Argon2id verification whatever the login names, so the answer's timing tells nothing.
        var verified = PasswordHasher.Verify(password, account?.PasswordHash ?? DummyHash.Value) && account is not null;
        if (!verified)
        {
            return pages.Login(authorization!, cookie!, language, StatusCodes.Status401Unauthorized, OAuthPageError.WrongCredentials);
        }

        await throttle.ClearAsync(subject, cancellationToken);

        var a = authorization!;
        var code = await codes.IssueAsync(a.Application.ClientId, a.RedirectUri, a.Scopes, account!.Id, a.CodeChallenge, a.CodeChallengeMethod, cancellationToken);
        if (a.RedirectUri == OAuthApplicationStore.OutOfBand)
        {
            return pages.OutOfBandCode(a, code, language);
        }

        return WireResult.Redirect(RedirectUriRules.AppendQuery(a.RedirectUri, [("code", code), ("state", a.State)]))
            .WithHeader("Cache-Control", "no-store")
            .WithHeader("Referrer-Policy", "no-referrer");
    }

    /// <summary>POST /oauth/token (RFC 6749 §4.1.3, §4.4): authorization_code with PKCE, and client_credentials.</summary>
    public async Task<WireResult> TokenAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (p, error) = await ApiParameters.ReadAsync(request, cancellationToken);
        if (p is null)
        {
            return TokenError(StatusCodes.Status400BadRequest, "invalid_request", error!);
        }

        if (SecretInQuery(request))
        {
            return TokenError(StatusCodes.Status400BadRequest, "invalid_request", "Credentials must be sent in the request body, never in the URL");
        }

        var grantType = p.Get("grant_type");
        if (string.IsNullOrEmpty(grantType))
        {
            return TokenError(StatusCodes.Status400BadRequest, "invalid_request", "grant_type is missing");
        }

        if (grantType is not ("authorization_code" or "client_credentials"))
        {
            return TokenError(StatusCodes.Status400BadRequest, "unsupported_grant_type", "Supported grant types: authorization_code, client_credentials");
        }

        var (application, clientFailure) = await AuthenticateClientAsync(request, p, cancellationToken);
        if (clientFailure is not null)
        {
            return clientFailure;
        }

        var app = application!;
        IReadOnlyList<string> scopes;
        string accountId;
        if (grantType == "client_credentials")
        {
            var (requested, unknown) = Scopes.Parse(p.Get("scope"));
            if (unknown is not null || !requested.All(s => Scopes.Allows(app.Scopes, s)))
            {
                return TokenError(StatusCodes.Status400BadRequest, "invalid_scope", "The requested scope is invalid, unknown or beyond the application's scopes");
            }

            scopes = requested;
            accountId = "";
        }
        else
        {
            var codeValue = p.Get("code");
            var redirectUri = p.Get("redirect_uri");
            if (string.IsNullOrEmpty(codeValue) || string.IsNullOrEmpty(redirectUri))
            {
                return TokenError(StatusCodes.Status400BadRequest, "invalid_request", "code and redirect_uri are required");
            }

            // Redeeming consumes the code whatever follows: a code gets one exchange attempt (RFC 6749 §4.1.2).
            var grant = await codes.RedeemAsync(codeValue, cancellationToken);
            if (grant is null || grant.ClientId != app.ClientId)
            {
                return TokenError(StatusCodes.Status400BadRequest, "invalid_grant", "The authorization code is invalid, expired or already used");
            }

            if (!string.Equals(grant.RedirectUri, redirectUri, StringComparison.Ordinal))
            {
                return TokenError(StatusCodes.Status400BadRequest, "invalid_grant", "redirect_uri does not match the authorization request");
            }

            if (CheckPkce(grant, p.Get("code_verifier")) is { } pkceError)
            {
                return TokenError(StatusCodes.Status400BadRequest, "invalid_grant", pkceError);
            }

            scopes = grant.Scopes;
            if (p.Get("scope") is { Length: > 0 } scopeText)
            {
                var (requested, unknown) = Scopes.Parse(scopeText);
                if (unknown is not null || !requested.All(s => Scopes.Allows(grant.Scopes, s)))
                {
                    return TokenError(StatusCodes.Status400BadRequest, "invalid_scope", "The requested scope is beyond the granted scope");
                }

                scopes = requested;
            }

            accountId = grant.AccountId;
        }

        var now = time.GetUtcNow();
        var token = await tokens.IssueAsync(accountId, scopes, app.ClientId, app.Name, cancellationToken);
        return NoStore(WireResult.Json(StatusCodes.Status200OK, new JsonObject
        {
            ["access_token"] = token,
            ["token_type"] = "Bearer",
            ["scope"] = string.Join(' ', scopes),
            ["created_at"] = now.ToUnixTimeSeconds(),
        }));
    }

    /// <summary>POST /oauth/revoke (RFC 7009): revokes a token of the authenticated client; 200 <c>{}</c> for unknown tokens.</summary>
    public async Task<WireResult> RevokeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (p, error) = await ApiParameters.ReadAsync(request, cancellationToken);
        if (p is null)
        {
            return TokenError(StatusCodes.Status400BadRequest, "invalid_request", error!);
        }

        if (SecretInQuery(request))
        {
            return TokenError(StatusCodes.Status400BadRequest, "invalid_request", "Credentials must be sent in the request body, never in the URL");
        }

        var (application, clientFailure) = await AuthenticateClientAsync(request, p, cancellationToken);
        if (clientFailure is not null)
        {
            return clientFailure;
        }

        var tokenValue = p.Get("token");
        if (string.IsNullOrEmpty(tokenValue))
        {
            return TokenError(StatusCodes.Status400BadRequest, "invalid_request", "token is required");
        }

        var token = await tokens.FindAsync(tokenValue, cancellationToken);
        if (token is not null && token.ApplicationId == application!.ClientId)
        {
            await tokens.RevokeAsync(tokenValue, cancellationToken);
        }

        return NoStore(WireResult.Json(StatusCodes.Status200OK, new JsonObject()));
    }

    /// <summary>GET /.well-known/oauth-authorization-server (RFC 8414), as Mastodon 4.3+ publishes it.</summary>
    public WireResult Metadata() =>
        WireResult.Json(StatusCodes.Status200OK, new JsonObject
        {
            ["issuer"] = urls.Base + "/",
            ["service_documentation"] = "https://docs.joinmastodon.org/",
            ["authorization_endpoint"] = urls.Base + "/oauth/authorize",
            ["token_endpoint"] = urls.Base + "/oauth/token",
            ["revocation_endpoint"] = urls.Base + "/oauth/revoke",
            ["app_registration_endpoint"] = urls.Base + "/api/v1/apps",
            ["scopes_supported"] = new JsonArray(Scopes.Known.Order(StringComparer.Ordinal).Select(s => (JsonNode?)s).ToArray()),
            ["response_types_supported"] = new JsonArray("code"),
            ["response_modes_supported"] = new JsonArray("query"),
            ["grant_types_supported"] = new JsonArray("authorization_code", "client_credentials"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_basic", "client_secret_post"),
            ["code_challenge_methods_supported"] = new JsonArray("S256", "plain"),
        }).WithCors().WithHeader("Cache-Control", "max-age=3600, public");

    /// <summary>Null when the verifier satisfies the code's challenge (RFC 7636 §4.6); otherwise the reason.</summary>
    internal static string? CheckPkce(AuthorizationCode grant, string? verifier)
    {
        ArgumentNullException.ThrowIfNull(grant);
        if (grant.CodeChallenge is null)
        {
            // A verifier without a challenge is refused (OAuth 2.1 §4.1.3): it signals a downgraded or mixed-up request.
            return verifier is null ? null : "code_verifier was sent but the authorization request had no code_challenge";
        }

        if (verifier is null || !PkceValue().IsMatch(verifier))
        {
            return "code_verifier is missing or malformed";
        }

        var expected = grant.CodeChallengeMethod == "S256"
            ? OAuthSecrets.Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))
            : verifier;
        return OAuthSecrets.FixedTimeEquals(expected, grant.CodeChallenge) ? null : "code_verifier does not match the code_challenge";
    }

    /// <summary>Validates the authorization request; the failure is an HTML page and never a redirect to an unverified URI.</summary>
    private async Task<(AuthorizationRequest? Request, WireResult? Failure)> ValidateAsync(ApiParameters p, PageLanguage language, CancellationToken cancellationToken)
    {
        var lang = p.Get("lang") is { } l && LanguageTag().IsMatch(l) ? l : null;
        var application = await applications.FindAsync(p.Get("client_id"), cancellationToken);
        if (application is null)
        {
            return (null, pages.Error(StatusCodes.Status400BadRequest, OAuthPageError.UnknownApplication, language));
        }

        var redirectUri = p.Get("redirect_uri");
        if (redirectUri is null && application.RedirectUris.Count == 1)
        {
            redirectUri = application.RedirectUris[0];
        }

        if (redirectUri is null || !application.RedirectUris.Contains(redirectUri, StringComparer.Ordinal))
        {
            return (null, pages.Error(StatusCodes.Status400BadRequest, OAuthPageError.InvalidRedirectUri, language));
        }

        // From here on the redirect URI is registered, but errors are still shown here rather than sent to the app.
        if (p.Get("response_type") != "code")
        {
            return (null, pages.Error(StatusCodes.Status400BadRequest, OAuthPageError.UnsupportedResponseType, language));
        }

        var (scopes, unknown) = Scopes.Parse(p.Get("scope"));
        if (unknown is not null || !scopes.All(s => Scopes.Allows(application.Scopes, s)))
        {
            return (null, pages.Error(StatusCodes.Status400BadRequest, OAuthPageError.InvalidScope, language));
        }

        var challenge = p.Get("code_challenge");
        var method = p.Get("code_challenge_method");
        if (challenge is null && method is not null)
        {
            return (null, pages.Error(StatusCodes.Status400BadRequest, OAuthPageError.ChallengeMethodWithoutChallenge, language));
        }

        if (challenge is not null)
        {
            method ??= "plain";
            if (method is not ("S256" or "plain") || !PkceValue().IsMatch(challenge))
            {
                return (null, pages.Error(StatusCodes.Status400BadRequest, OAuthPageError.InvalidChallenge, language));
            }
        }

        var state = p.Get("state");
        if (state is { Length: > 2000 })
        {
            return (null, pages.Error(StatusCodes.Status400BadRequest, OAuthPageError.StateTooLong, language));
        }

        return (new AuthorizationRequest(application, redirectUri, scopes, state, challenge, method, lang), null);
    }

    /// <summary>client_secret_basic (RFC 6749 §2.3.1, form-encoded id and secret) or client_secret_post; 401 invalid_client otherwise.</summary>
    private async Task<(OAuthApplication? Application, WireResult? Failure)> AuthenticateClientAsync(HttpRequest request, ApiParameters p, CancellationToken cancellationToken)
    {
        string? clientId = p.Get("client_id"), clientSecret = p.Get("client_secret");
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            }
            catch (FormatException)
            {
                return (null, InvalidClient());
            }

            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || clientSecret is not null)
            {
                // RFC 6749 §2.3: a client uses one authentication method per request.
                return (null, colon < 0 ? InvalidClient() : TokenError(StatusCodes.Status400BadRequest, "invalid_request", "Use one client authentication method"));
            }

            var basicId = Uri.UnescapeDataString(decoded[..colon].Replace('+', ' '));
            if (clientId is not null && clientId != basicId)
            {
                return (null, TokenError(StatusCodes.Status400BadRequest, "invalid_request", "client_id does not match the Authorization header"));
            }

            clientId = basicId;
            clientSecret = Uri.UnescapeDataString(decoded[(colon + 1)..].Replace('+', ' '));
        }

        var application = await applications.AuthenticateAsync(clientId, clientSecret, cancellationToken);
        return application is null ? (null, InvalidClient()) : (application, null);
    }

    // RFC 6749 §2.3.1 and §3.2: client secrets, codes and tokens travel in the body, where logs and proxies do not keep them.
    private static bool SecretInQuery(HttpRequest request) =>
        request.Query.ContainsKey("client_secret") || request.Query.ContainsKey("code") || request.Query.ContainsKey("code_verifier") || request.Query.ContainsKey("token");

    private static WireResult InvalidClient() =>
        TokenError(StatusCodes.Status401Unauthorized, "invalid_client", "Client authentication failed")
            .WithHeader("WWW-Authenticate", "Basic realm=\"oauth\"");

    /// <summary>RFC 6749 §5.2 error response.</summary>
    private static WireResult TokenError(int status, string error, string description) =>
        NoStore(WireResult.Json(status, new JsonObject { ["error"] = error, ["error_description"] = description }));

    private static WireResult NoStore(WireResult result) =>
        result.WithCors().WithHeader("Cache-Control", "no-store").WithHeader("Pragma", "no-cache");

    // RFC 7636 §4.1: 43-128 unreserved characters (the same shape for challenge and verifier).
    [GeneratedRegex(@"^[A-Za-z0-9\-._~]{43,128}$")]
    private static partial Regex PkceValue();

    [GeneratedRegex(@"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$")]
    private static partial Regex LanguageTag();
}
