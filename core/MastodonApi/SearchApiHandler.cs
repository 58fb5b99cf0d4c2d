using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Http;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>GET /api/v2/search</c> (docs: methods/search): accounts by username or display-name prefix, a handle or an actor URL
/// (resolved remotely with <c>resolve=true</c> and a token, through <see cref="AccountResolver"/>: a refused or failed fetch
/// finds nothing and never fails the search); statuses by URL (ours, or remote
/// ones already stored); hashtags that have public posts here. Full-text search of statuses is not offered (as on a
/// Mastodon server without Elasticsearch). Storage: accounts a scan of the instance's accounts; a URL 1-3 point reads;
/// a hashtag 1 range query.
/// </summary>
public sealed partial class SearchApiHandler(
    ApiAuth auth,
    AccountsApiHandler accountSearch,
    AccountDirectory directory,
    AccountResolver remoteAccounts,
    StatusStore statuses,
    TimelineStore timelines,
    StatusRenderer renderer,
    MastodonMapper mapper,
    InstanceUrls urls)
{
    public async Task<WireResult> SearchAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (viewer, failure) = await auth.AuthenticateOptionalAsync(request, "read:search", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var q = request.Query["q"].ToString().Trim();
        var type = request.Query["type"].ToString();
        var limit = Math.Clamp(int.TryParse(request.Query["limit"], out var l) ? l : 20, 1, 40);
        var offset = int.TryParse(request.Query["offset"], out var o) ? o : 0;
        // Remote lookups are network requests made for the caller: only for signed-in accounts, as Mastodon does.
        var resolve = viewer is not null && request.Query["resolve"].ToString() is "true" or "1";
        var result = new JsonObject { ["accounts"] = new JsonArray(), ["statuses"] = new JsonArray(), ["hashtags"] = new JsonArray() };
        if (q.Length == 0 || offset > 0)
        {
            return Ok(result);
        }

        var isUrl = Uri.TryCreate(q, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);
        if (type is "" or "accounts")
        {
            var found = new List<AccountRef>();
            if (isUrl)
            {
                var known = await directory.GetByActorIdAsync(q, cancellationToken);
                if (known is null && resolve && directory.LocalUsernameOf(q) is null && await remoteAccounts.ResolveUrlAsync(q, cancellationToken) is { } fetched)
                {
                    known = AccountDirectory.Of(fetched);
                }

                if (known is not null)
                {
                    found.Add(known);
                }
            }
            else
            {
                found.AddRange(await accountSearch.SearchAccountsAsync(q, resolve, limit, cancellationToken));
            }

            result["accounts"] = new JsonArray(found.Take(limit).Select(a => (JsonNode)mapper.ToAccount(a)).ToArray());
        }

        if ((type is "" or "statuses") && isUrl)
        {
            var id = directory.LocalStatusIdOf(q) ?? StatusPageId(q) ?? await statuses.GetIdByUriAsync(q, cancellationToken);
            var status = id is null ? null : await statuses.GetAsync(id, cancellationToken);
            if (status is not null && await renderer.CanSeeAsync(status, viewer, cancellationToken) && await renderer.RenderAsync(status, viewer, cancellationToken) is { } json)
            {
                result["statuses"] = new JsonArray(json);
            }
        }

        if ((type is "" or "hashtags") && !isUrl && Hashtag().Match(q) is { Success: true } tag)
        {
            var name = tag.Groups["name"].Value.ToLowerInvariant();
            if ((await timelines.PageAsync(TimelineStore.Tag(name), null, null, null, 1, cancellationToken)).Count > 0)
            {
                result["hashtags"] = new JsonArray(new JsonObject { ["name"] = name, ["url"] = urls.Tag(name), ["history"] = new JsonArray(), ["following"] = false });
            }
        }

        return Ok(result);
    }

    /// <summary>The status id of one of our public status pages (<c>{base}/@user/{id}</c>).</summary>
    private string? StatusPageId(string url)
    {
        var prefix = urls.Base + "/@";
        if (!url.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = url[prefix.Length..].Split('/');
        return parts.Length == 2 && Storage.SnowflakeIds.IsValid(parts[1]) ? parts[1] : null;
    }

    private static WireResult Ok(JsonNode json) => WireResult.Json(StatusCodes.Status200OK, json).WithCors();

    [GeneratedRegex(@"^#?(?<name>[\p{L}\p{N}_]{1,100})$")]
    private static partial Regex Hashtag();
}
