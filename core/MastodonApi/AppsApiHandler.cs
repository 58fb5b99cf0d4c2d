using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Http;
using ServerlessFedi.OAuth;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>/api/v1/apps</c> (docs: methods/apps, entities/Application): registration and <c>verify_credentials</c>.
/// Storage: register 1 insert; verify_credentials 1 point read (token) + 1 (application).
/// </summary>
public sealed class AppsApiHandler(OAuthApplicationStore applications, AccessTokenStore tokens)
{
    public const int MaxNameLength = 60;
    public const int MaxRedirectUris = 20;

    public async Task<WireResult> CreateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (p, error) = await ApiParameters.ReadAsync(request, cancellationToken);
        if (p is null)
        {
            return WireResult.Error(StatusCodes.Status400BadRequest, error!).WithCors();
        }

        var name = p.Get("client_name")?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return Invalid("Validation failed: Application name can't be blank");
        }

        if (name.Length > MaxNameLength)
        {
            return Invalid($"Validation failed: Application name is too long (maximum is {MaxNameLength} characters)");
        }

        var website = p.Get("website")?.Trim();
        if (string.IsNullOrEmpty(website))
        {
            website = null;
        }
        else if (website.Length > 2000 || !Uri.TryCreate(website, UriKind.Absolute, out var site) || site.Scheme is not ("http" or "https"))
        {
            return Invalid("Validation failed: Website is not a valid http or https URL");
        }

        // A string with one URI per line, or an array (redirect_uris[] in forms, a JSON array from masto.js).
        var redirectUris = p.GetAll("redirect_uris")
            .SelectMany(v => v.Split('\n'))
            .Select(v => v.Trim())
            .Where(v => v.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (redirectUris.Count == 0)
        {
            return Invalid("Validation failed: Redirect URI can't be blank");
        }

        if (redirectUris.Count > MaxRedirectUris)
        {
            return Invalid($"Validation failed: at most {MaxRedirectUris} redirect URIs");
        }

        foreach (var uri in redirectUris)
        {
            if (RedirectUriRules.Check(uri) is { } reason)
            {
                return Invalid($"Validation failed: {reason}");
            }
        }

        var scopeText = p.Has("scopes") ? string.Join(' ', p.GetAll("scopes")) : null;
        var (scopes, unknown) = Scopes.Parse(scopeText);
        if (unknown is not null)
        {
            return Invalid($"Validation failed: {unknown}");
        }

        var (application, secret) = await applications.RegisterAsync(name, website, scopes, redirectUris, cancellationToken);
        var entity = ToApplication(application);
        entity["client_id"] = application.ClientId;
        entity["client_secret"] = secret;
        entity["client_secret_expires_at"] = 0;
        return WireResult.Json(StatusCodes.Status200OK, entity).WithCors().WithHeader("Cache-Control", "no-store");
    }

    /// <summary>Any valid token of the application, user or application-only (docs: methods/apps#verify_credentials).</summary>
    public async Task<WireResult> VerifyCredentialsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? await tokens.FindAsync(header[7..].Trim(), cancellationToken) : null;
        var application = token?.ApplicationId is { } clientId ? await applications.FindAsync(clientId, cancellationToken) : null;
        if (application is null)
        {
            return WireResult.Error(StatusCodes.Status401Unauthorized, "The access token is invalid")
                .WithHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                .WithCors();
        }

        return WireResult.Json(StatusCodes.Status200OK, ToApplication(application)).WithCors();
    }

    /// <summary>The Application entity without client credentials.</summary>
    private static JsonObject ToApplication(OAuthApplication a) => new()
    {
        ["id"] = a.Id,
        ["name"] = a.Name,
        ["website"] = a.Website,
        ["scopes"] = new JsonArray(a.Scopes.Select(s => (JsonNode?)s).ToArray()),
        ["redirect_uri"] = string.Join('\n', a.RedirectUris),
        ["redirect_uris"] = new JsonArray(a.RedirectUris.Select(s => (JsonNode?)s).ToArray()),
        ["vapid_key"] = "",
    };

    private static WireResult Invalid(string message) => WireResult.Error(StatusCodes.Status422UnprocessableEntity, message).WithCors();
}
