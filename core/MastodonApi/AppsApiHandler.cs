using Microsoft.AspNetCore.Http;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.OAuth;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>/api/v1/apps</c> (docs: methods/apps, entities/Application): registration and <c>verify_credentials</c>.
/// Storage: register 1 insert; verify_credentials 1 point read (token) + 1 (application).
/// </summary>
public sealed class AppsApiHandler(ApiEndpoint api, OAuthApplicationStore applications, AccessTokenStore tokens)
{
    public const int MaxNameLength = 60;
    public const int MaxRedirectUris = 20;

    public Task<WireResult> CreateAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Open.WithParameters(), r => RegisterAsync(r.Parameters, cancellationToken), cancellationToken);

    private async Task<WireResult> RegisterAsync(ApiParameters p, CancellationToken cancellationToken)
    {
        var name = p.Get("client_name")?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return Invalid("Application name can't be blank");
        }

        if (name.Length > MaxNameLength)
        {
            return Invalid($"Application name is too long (maximum is {MaxNameLength} characters)");
        }

        var website = p.Get("website")?.Trim();
        if (string.IsNullOrEmpty(website))
        {
            website = null;
        }
        else if (website.Length > 2000 || !Uri.TryCreate(website, UriKind.Absolute, out var site) || site.Scheme is not ("http" or "https"))
        {
            return Invalid("Website is not a valid http or https URL");
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
            return Invalid("Redirect URI can't be blank");
        }

        if (redirectUris.Count > MaxRedirectUris)
        {
            return Invalid($"at most {MaxRedirectUris} redirect URIs");
        }

        foreach (var uri in redirectUris)
        {
            if (RedirectUriRules.Check(uri) is { } reason)
            {
                return Invalid(reason);
            }
        }

        var scopeText = p.Has("scopes") ? string.Join(' ', p.GetAll("scopes")) : null;
        var (scopes, unknown) = Scopes.Parse(scopeText);
        if (unknown is not null)
        {
            return Invalid(unknown);
        }

        var (application, secret) = await applications.RegisterAsync(name, website, scopes, redirectUris, cancellationToken);
        return Ok(ApplicationMapper.ToApplication(application, secret), Wire.Application).WithHeader("Cache-Control", "no-store");
    }

    /// <summary>Any valid token of the application, user or application-only (docs: methods/apps#verify_credentials).</summary>
    public Task<WireResult> VerifyCredentialsAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Open, async _ =>
        {
            var token = ApiAuth.BearerOf(request) is { } bearer ? await tokens.FindAsync(bearer, cancellationToken) : null;
            var application = token?.ApplicationId is { } clientId ? await applications.FindAsync(clientId, cancellationToken) : null;
            return application is null
                ? Unauthorized()
                : Ok(ApplicationMapper.ToApplication(application), Wire.Application);
        }, cancellationToken);
}
