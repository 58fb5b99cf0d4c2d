using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Http;

namespace ServerlessFedi.WebFinger;

/// <summary>
/// RFC 7033 WebFinger for local accounts and the instance actor. Accepts <c>acct:user@domain</c> (for the account
/// domain or the web domain), <c>user@domain</c>, and the actor or profile URL. 400 for a missing or malformed resource,
/// 404 for anything not ours. One or two storage reads.
/// </summary>
public sealed class WebFingerHandler(AccountStore accounts, InstanceUrls urls)
{
    public const string JrdContentType = "application/jrd+json; charset=utf-8";

    public async Task<WireResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var resources = request.Query["resource"];
        if (resources.Count != 1 || string.IsNullOrWhiteSpace(resources[0]))
        {
            return Problem(StatusCodes.Status400BadRequest, "the query parameter 'resource' is required exactly once");
        }

        var resource = resources[0]!.Trim();
        if (resource.Length > 512)
        {
            return Problem(StatusCodes.Status400BadRequest, "resource is too long");
        }

        var parsed = ParseResource(resource);
        if (parsed.Error is not null)
        {
            return Problem(StatusCodes.Status400BadRequest, parsed.Error);
        }

        if (parsed.Username is null)
        {
            return Problem(StatusCodes.Status404NotFound, "no such resource on this server");
        }

        if (IsInstanceActorName(parsed.Username))
        {
            return Found(InstanceActorJrd());
        }

        var account = await accounts.GetByUsernameIncludingDeletedAsync(parsed.Username, cancellationToken);
        return account is null
            ? Problem(StatusCodes.Status404NotFound, "no such account")
            : account.DeletedAt is not null
                ? Problem(StatusCodes.Status410Gone, "the account has been deleted")
                : Found(AccountJrd(account));
    }

    /// <summary>Splits a resource into the local username it names, null when it is well-formed but not ours, or an error.</summary>
    internal (string? Username, string? Error) ParseResource(string resource)
    {
        if (resource.StartsWith("acct:", StringComparison.OrdinalIgnoreCase) || !resource.Contains("://", StringComparison.Ordinal))
        {
            var handle = resource.StartsWith("acct:", StringComparison.OrdinalIgnoreCase) ? resource[5..] : resource;
            handle = handle.TrimStart('@');
            var at = handle.LastIndexOf('@');
            if (at <= 0 || at == handle.Length - 1)
            {
                return (null, "resource must look like acct:user@domain");
            }

            var user = handle[..at];
            var domain = handle[(at + 1)..].ToLowerInvariant();
            if (user.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '/') || domain.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '/'))
            {
                return (null, "resource must look like acct:user@domain");
            }

            return domain == urls.AccountDomain || domain == urls.WebDomain ? (Uri.UnescapeDataString(user), null) : (null, null);
        }

        if (!Uri.TryCreate(resource, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return (null, "resource is neither an acct: URI nor an http(s) URL");
        }

        if (!string.Equals(uri.GetLeftPart(UriPartial.Authority), urls.Base, StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        if (path == "/actor")
        {
            return (urls.WebDomain, null);
        }

        var own = urls.Base + path;
        return (urls.UsernameOfActor(own) ?? urls.UsernameOfProfile(own), null);
    }

    private bool IsInstanceActorName(string username) =>
        string.Equals(username, urls.WebDomain, StringComparison.OrdinalIgnoreCase)
        || string.Equals(username, urls.AccountDomain, StringComparison.OrdinalIgnoreCase);

    private JsonObject AccountJrd(LocalAccount account) => new()
    {
        ["subject"] = $"acct:{account.Username}@{urls.AccountDomain}",
        ["aliases"] = new JsonArray(urls.Profile(account.Username), urls.Actor(account.Username)),
        ["links"] = new JsonArray(
            new JsonObject { ["rel"] = "http://webfinger.net/rel/profile-page", ["type"] = "text/html", ["href"] = urls.Profile(account.Username) },
            new JsonObject { ["rel"] = "self", ["type"] = ContentNegotiation.ActivityJson, ["href"] = urls.Actor(account.Username) },
            new JsonObject { ["rel"] = "http://ostatus.org/schema/1.0/subscribe", ["template"] = urls.AuthorizeInteractionTemplate }),
    };

    private JsonObject InstanceActorJrd() => new()
    {
        ["subject"] = $"acct:{urls.WebDomain}@{urls.WebDomain}",
        ["aliases"] = new JsonArray(urls.InstanceActor),
        ["links"] = new JsonArray(
            new JsonObject { ["rel"] = "http://webfinger.net/rel/profile-page", ["type"] = "text/html", ["href"] = urls.About },
            new JsonObject { ["rel"] = "self", ["type"] = ContentNegotiation.ActivityJson, ["href"] = urls.InstanceActor }),
    };

    private static WireResult Found(JsonObject jrd) =>
        WireResult.Json(StatusCodes.Status200OK, jrd, JrdContentType).WithCors().WithHeader("Cache-Control", "max-age=259200, public").WithHeader("Vary", "Accept");

    private static WireResult Problem(int status, string message) => WireResult.Error(status, message).WithCors();
}
