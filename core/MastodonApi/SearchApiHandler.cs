using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Entities;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Statuses;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

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
    ApiEndpoint api,
    AccountSearch accountSearch,
    AccountDirectory directory,
    AccountResolver remoteAccounts,
    StatusStore statuses,
    TimelineStore timelines,
    StatusRenderer renderer,
    AccountMapper accounts,
    TagMapper tags,
    InstanceUrls urls)
{
    public Task<WireResult> SearchAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.OptionalToken("read:search"), async r =>
        {
            var q = r.Query("q").Trim();
            var type = r.Query("type");
            var limit = r.Limit(20, 40);
            var offset = int.TryParse(request.Query["offset"], out var o) ? o : 0;
            // Remote lookups are network requests made for the caller: only for signed-in accounts, as Mastodon does.
            var resolve = r.Viewer is not null && r.Flag("resolve");
            if (q.Length == 0 || offset > 0)
            {
                return Ok(new Search([], [], []), Wire.Search);
            }

            var isUrl = Uri.TryCreate(q, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);
            IReadOnlyList<Account> foundAccounts = type is "" or "accounts" ? [.. (await AccountsAsync(q, isUrl, resolve, limit, cancellationToken)).Take(limit).Select(accounts.ToAccount)] : [];
            IReadOnlyList<Entities.Status> foundStatuses = (type is "" or "statuses") && isUrl ? await StatusByUrlAsync(q, r, cancellationToken) : [];
            IReadOnlyList<Tag> foundTags = [];
            if ((type is "" or "hashtags") && !isUrl && Hashtag().Match(q) is { Success: true } tag)
            {
                var name = tag.Groups["name"].Value.ToLowerInvariant();
                if ((await timelines.PageAsync(TimelineStore.Tag(name), null, null, null, 1, cancellationToken)).Count > 0)
                {
                    foundTags = [tags.ToTag(name)];
                }
            }

            return Ok(new Search(foundAccounts, foundStatuses, foundTags), Wire.Search);
        }, cancellationToken);

    /// <summary>An actor URL (known, or fetched when <paramref name="resolve"/>), else the account search.</summary>
    private async Task<IReadOnlyList<AccountRef>> AccountsAsync(string q, bool isUrl, bool resolve, int limit, CancellationToken cancellationToken)
    {
        if (!isUrl)
        {
            return await accountSearch.SearchAsync(q, resolve, limit, cancellationToken);
        }

        var known = await directory.GetByActorIdAsync(q, cancellationToken);
        if (known is null && resolve && urls.UsernameOfActor(q) is null && await remoteAccounts.ResolveUrlAsync(q, cancellationToken) is { } fetched)
        {
            known = AccountDirectory.Of(fetched);
        }

        return known is null ? [] : [known];
    }

    /// <summary>The status a URL names (our ActivityPub id or page, or a stored remote status), if the caller may see it.</summary>
    private async Task<IReadOnlyList<Entities.Status>> StatusByUrlAsync(string q, ApiRequest r, CancellationToken cancellationToken)
    {
        var id = urls.StatusOf(q)?.StatusId ?? await statuses.GetIdByUriAsync(q, cancellationToken);
        var status = id is null ? null : await statuses.GetAsync(id, cancellationToken);
        return status is not null && await renderer.CanSeeAsync(status, r.Viewer, cancellationToken) && await renderer.ShowAsync(status, r.Viewer, cancellationToken) is { } shown
            ? [shown]
            : [];
    }

    [GeneratedRegex(@"^#?(?<name>[\p{L}\p{N}_]{1,100})$")]
    private static partial Regex Hashtag();
}
