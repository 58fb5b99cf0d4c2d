using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Filters;
using ServerlessFedi.Http;
using ServerlessFedi.Storage;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>/api/v2/filters</c> with their keywords and statuses, and the read-only v1 view (docs: methods/filters).
/// Scopes: <c>read:filters</c> to read, <c>write:filters</c> to change. Keyword and status sub-resources are found by
/// reading the account's filters (one range query), as they live inside their filter's row.
/// <c>keywords_attributes</c> arrive as JSON objects, indexed form keys (<c>keywords_attributes[0][keyword]</c>), or
/// <c>keywords_attributes[][keyword]</c> form keys, which are paired by position (every element must then carry the same
/// fields). Storage: reads auth + 1 (point read or range query); writes auth + 1 read + 1 upsert (create: 1 range query
/// for the per-account bound + 1 upsert); delete auth + 1 read + 1 delete.
/// </summary>
public sealed partial class FiltersApiHandler(ApiAuth auth, FilterStore filters, SnowflakeIds ids, TimeProvider time)
{
    private const int MaxTitleLength = 256;
    private const int MaxKeywordLength = 200;

    private static readonly string[] KeywordFields = ["id", "keyword", "whole_word", "_destroy"];

    /// <summary>Mastodon's longest offered expiry is a week; a year bounds what a client may ask.</summary>
    private static readonly TimeSpan MaxExpiresIn = TimeSpan.FromDays(366);

    public async Task<WireResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (account, failure) = await Authorize(request, "read:filters", cancellationToken);
        return failure ?? Ok(new JsonArray((await filters.ListAsync(account!.Id, cancellationToken)).Select(f => (JsonNode)FilterMapper.ToFilter(f)).ToArray()));
    }

    public async Task<WireResult> GetAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (account, failure) = await Authorize(request, "read:filters", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var filter = await filters.GetAsync(account!.Id, id, cancellationToken);
        return filter is null ? NotFound() : Ok(FilterMapper.ToFilter(filter));
    }

    public async Task<WireResult> CreateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (account, p, failure) = await AuthorizeWithParameters(request, "write:filters", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var draft = new Filter { Id = ids.Next(), AccountId = account!.Id, Title = "", Context = [] };
        var (filter, error) = Apply(draft, p!, creating: true);
        if (error is not null)
        {
            return error;
        }

        if ((await filters.ListAsync(account.Id, cancellationToken)).Count >= FilterStore.MaxFiltersPerAccount)
        {
            return Invalid($"an account may have at most {FilterStore.MaxFiltersPerAccount} filters");
        }

        await filters.SaveAsync(filter!, cancellationToken);
        return Ok(FilterMapper.ToFilter(filter!));
    }

    public async Task<WireResult> UpdateAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (account, p, failure) = await AuthorizeWithParameters(request, "write:filters", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var existing = await filters.GetAsync(account!.Id, id, cancellationToken);
        if (existing is null)
        {
            return NotFound();
        }

        var (filter, error) = Apply(existing, p!, creating: false);
        if (error is not null)
        {
            return error;
        }

        await filters.SaveAsync(filter!, cancellationToken);
        return Ok(FilterMapper.ToFilter(filter!));
    }

    public async Task<WireResult> DeleteAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (account, failure) = await Authorize(request, "write:filters", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        if (await filters.GetAsync(account!.Id, id, cancellationToken) is null)
        {
            return NotFound();
        }

        await filters.DeleteAsync(account.Id, id, cancellationToken);
        return Ok(new JsonObject());
    }

    public async Task<WireResult> ListKeywordsAsync(HttpRequest request, string filterId, CancellationToken cancellationToken)
    {
        var (account, failure) = await Authorize(request, "read:filters", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var filter = await filters.GetAsync(account!.Id, filterId, cancellationToken);
        return filter is null ? NotFound() : Ok(new JsonArray(filter.Keywords.Select(k => (JsonNode)FilterMapper.ToKeyword(k)).ToArray()));
    }

    public async Task<WireResult> AddKeywordAsync(HttpRequest request, string filterId, CancellationToken cancellationToken)
    {
        var (account, p, failure) = await AuthorizeWithParameters(request, "write:filters", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var filter = await filters.GetAsync(account!.Id, filterId, cancellationToken);
        if (filter is null)
        {
            return NotFound();
        }

        if (CheckKeyword(p!.Get("keyword")) is { } invalid)
        {
            return Invalid(invalid);
        }

        if (filter.Keywords.Count >= FilterStore.MaxKeywordsPerFilter)
        {
            return Invalid($"a filter may have at most {FilterStore.MaxKeywordsPerFilter} keywords");
        }

        var keyword = new FilterKeyword(ids.Next(), p.Get("keyword")!, p.GetBool("whole_word") ?? false);
        await filters.SaveAsync(filter with { Keywords = [.. filter.Keywords, keyword] }, cancellationToken);
        return Ok(FilterMapper.ToKeyword(keyword));
    }

    public async Task<WireResult> GetKeywordAsync(HttpRequest request, string keywordId, CancellationToken cancellationToken)
    {
        var (account, failure) = await Authorize(request, "read:filters", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var (_, keyword) = await FindKeywordAsync(account!.Id, keywordId, cancellationToken);
        return keyword is null ? NotFound() : Ok(FilterMapper.ToKeyword(keyword));
    }

    public async Task<WireResult> UpdateKeywordAsync(HttpRequest request, string keywordId, CancellationToken cancellationToken)
    {
        var (account, p, failure) = await AuthorizeWithParameters(request, "write:filters", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var (filter, keyword) = await FindKeywordAsync(account!.Id, keywordId, cancellationToken);
        if (filter is null || keyword is null)
        {
            return NotFound();
        }

        if (p!.Get("keyword") is { } text && CheckKeyword(text) is { } invalid)
        {
            return Invalid(invalid);
        }

        var updated = keyword with { Keyword = p.Get("keyword") ?? keyword.Keyword, WholeWord = p.GetBool("whole_word") ?? keyword.WholeWord };
        await filters.SaveAsync(filter with { Keywords = filter.Keywords.Select(k => k.Id == keywordId ? updated : k).ToArray() }, cancellationToken);
        return Ok(FilterMapper.ToKeyword(updated));
    }

    public async Task<WireResult> DeleteKeywordAsync(HttpRequest request, string keywordId, CancellationToken cancellationToken)
    {
        var (account, failure) = await Authorize(request, "write:filters", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var (filter, keyword) = await FindKeywordAsync(account!.Id, keywordId, cancellationToken);
        if (filter is null || keyword is null)
        {
            return NotFound();
        }

        await filters.SaveAsync(filter with { Keywords = filter.Keywords.Where(k => k.Id != keywordId).ToArray() }, cancellationToken);
        return Ok(new JsonObject());
    }

    public async Task<WireResult> ListStatusesAsync(HttpRequest request, string filterId, CancellationToken cancellationToken)
    {
        var (account, failure) = await Authorize(request, "read:filters", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var filter = await filters.GetAsync(account!.Id, filterId, cancellationToken);
        return filter is null ? NotFound() : Ok(new JsonArray(filter.Statuses.Select(s => (JsonNode)FilterMapper.ToStatus(s)).ToArray()));
    }

    public async Task<WireResult> AddStatusAsync(HttpRequest request, string filterId, CancellationToken cancellationToken)
    {
        var (account, p, failure) = await AuthorizeWithParameters(request, "write:filters", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var filter = await filters.GetAsync(account!.Id, filterId, cancellationToken);
        if (filter is null)
        {
            return NotFound();
        }

        var statusId = p!.Get("status_id");
        if (statusId is null || !SnowflakeIds.IsValid(statusId))
        {
            return Invalid("status_id must be a status id");
        }

        if (filter.Statuses.Any(s => s.StatusId == statusId))
        {
            return Invalid("Status has already been taken");
        }

        if (filter.Statuses.Count >= FilterStore.MaxStatusesPerFilter)
        {
            return Invalid($"a filter may name at most {FilterStore.MaxStatusesPerFilter} statuses");
        }

        var status = new FilterStatus(ids.Next(), statusId);
        await filters.SaveAsync(filter with { Statuses = [.. filter.Statuses, status] }, cancellationToken);
        return Ok(FilterMapper.ToStatus(status));
    }

    public async Task<WireResult> GetStatusAsync(HttpRequest request, string filterStatusId, CancellationToken cancellationToken)
    {
        var (account, failure) = await Authorize(request, "read:filters", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var (_, status) = await FindStatusAsync(account!.Id, filterStatusId, cancellationToken);
        return status is null ? NotFound() : Ok(FilterMapper.ToStatus(status));
    }

    public async Task<WireResult> DeleteStatusAsync(HttpRequest request, string filterStatusId, CancellationToken cancellationToken)
    {
        var (account, failure) = await Authorize(request, "write:filters", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var (filter, status) = await FindStatusAsync(account!.Id, filterStatusId, cancellationToken);
        if (filter is null || status is null)
        {
            return NotFound();
        }

        await filters.SaveAsync(filter with { Statuses = filter.Statuses.Where(s => s.Id != filterStatusId).ToArray() }, cancellationToken);
        return Ok(new JsonObject());
    }

    /// <summary><c>GET /api/v1/filters</c>: every keyword of every filter as a v1 Filter.</summary>
    public async Task<WireResult> ListV1Async(HttpRequest request, CancellationToken cancellationToken)
    {
        var (account, failure) = await Authorize(request, "read:filters", cancellationToken);
        return failure ?? Ok(new JsonArray((await filters.ListAsync(account!.Id, cancellationToken))
            .SelectMany(f => f.Keywords.Select(k => (JsonNode)FilterMapper.ToV1Filter(f, k))).ToArray()));
    }

    /// <summary><c>GET /api/v1/filters/{id}</c>: the id is a keyword id.</summary>
    public async Task<WireResult> GetV1Async(HttpRequest request, string keywordId, CancellationToken cancellationToken)
    {
        var (account, failure) = await Authorize(request, "read:filters", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var (filter, keyword) = await FindKeywordAsync(account!.Id, keywordId, cancellationToken);
        return filter is null || keyword is null ? NotFound() : Ok(FilterMapper.ToV1Filter(filter, keyword));
    }

    /// <summary>Applies the request's fields to <paramref name="filter"/>; the result or the 422 to answer.</summary>
    private (Filter? Filter, WireResult? Error) Apply(Filter filter, ApiParameters p, bool creating)
    {
        var title = p.Get("title");
        if (creating || title is not null)
        {
            if (string.IsNullOrWhiteSpace(title))
            {
                return (null, Invalid("Title can't be blank"));
            }

            if (title.Length > MaxTitleLength)
            {
                return (null, Invalid($"Title is too long (maximum is {MaxTitleLength} characters)"));
            }

            filter = filter with { Title = title.Trim() };
        }

        if (creating || p.Has("context"))
        {
            var context = p.GetAll("context").Distinct(StringComparer.Ordinal).ToArray();
            if (context.Length == 0)
            {
                return (null, Invalid("Context can't be blank"));
            }

            if (context.FirstOrDefault(c => !FilterContexts.All.Contains(c)) is { } unknown)
            {
                return (null, Invalid($"Context '{unknown}' is not one of home, notifications, public, thread, account"));
            }

            filter = filter with { Context = context };
        }

        if (p.Get("filter_action") is { } action)
        {
            if (!FilterContexts.Actions.Contains(action))
            {
                return (null, Invalid($"Filter action '{action}' is not one of warn, hide, blur"));
            }

            filter = filter with { Action = action };
        }

        if (p.Has("expires_in"))
        {
            var expiresIn = p.Get("expires_in");
            if (string.IsNullOrEmpty(expiresIn))
            {
                filter = filter with { ExpiresAt = null };
            }
            else if (long.TryParse(expiresIn, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= MaxExpiresIn.TotalSeconds)
            {
                filter = filter with { ExpiresAt = time.GetUtcNow().AddSeconds(seconds) };
            }
            else
            {
                return (null, Invalid($"expires_in must be a number of seconds from 1 to {(long)MaxExpiresIn.TotalSeconds}"));
            }
        }

        var keywords = filter.Keywords.ToList();
        foreach (var attributes in Attributes(p, "keywords_attributes"))
        {
            attributes.TryGetValue("id", out var keywordId);
            attributes.TryGetValue("keyword", out var text);
            var wholeWord = attributes.TryGetValue("whole_word", out var w) ? IsTrue(w) : (bool?)null;
            var destroy = attributes.TryGetValue("_destroy", out var d) && IsTrue(d);
            if (!string.IsNullOrEmpty(keywordId))
            {
                var index = keywords.FindIndex(k => k.Id == keywordId);
                if (index < 0)
                {
                    return (null, NotFound());
                }

                if (destroy)
                {
                    keywords.RemoveAt(index);
                    continue;
                }

                if (text is not null && CheckKeyword(text) is { } invalid)
                {
                    return (null, Invalid(invalid));
                }

                keywords[index] = keywords[index] with { Keyword = text ?? keywords[index].Keyword, WholeWord = wholeWord ?? keywords[index].WholeWord };
            }
            else if (!destroy)
            {
                if (CheckKeyword(text) is { } invalid)
                {
                    return (null, Invalid(invalid));
                }

                keywords.Add(new FilterKeyword(ids.Next(), text!, wholeWord ?? false));
            }
        }

        if (keywords.Count > FilterStore.MaxKeywordsPerFilter)
        {
            return (null, Invalid($"a filter may have at most {FilterStore.MaxKeywordsPerFilter} keywords"));
        }

        return (filter with { Keywords = keywords }, null);
    }

    /// <summary>The elements of an array-of-hashes parameter, in order.</summary>
    private static List<Dictionary<string, string>> Attributes(ApiParameters p, string name)
    {
        var indexed = new SortedDictionary<int, Dictionary<string, string>>();
        foreach (var key in p.Names)
        {
            var m = IndexedKey().Match(key);
            if (m.Success && m.Groups["name"].Value == name && int.TryParse(m.Groups["index"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && p.Get(key) is { } value)
            {
                if (!indexed.TryGetValue(i, out var element))
                {
                    indexed[i] = element = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                element[m.Groups["field"].Value] = value;
            }
        }

        var list = indexed.Values.ToList();
        var positional = KeywordFields.ToDictionary(f => f, f => p.GetAll($"{name}[][{f}]"));
        var count = positional.Values.Max(v => v.Count);
        for (var i = 0; i < count; i++)
        {
            list.Add(positional.Where(f => i < f.Value.Count).ToDictionary(f => f.Key, f => f.Value[i], StringComparer.Ordinal));
        }

        return list;
    }

    private static bool IsTrue(string value) => value.ToLowerInvariant() is "true" or "1" or "on" or "yes";

    private static string? CheckKeyword(string? keyword) =>
        string.IsNullOrWhiteSpace(keyword) ? "Keyword can't be blank"
        : keyword.Length > MaxKeywordLength ? $"Keyword is too long (maximum is {MaxKeywordLength} characters)"
        : null;

    private async Task<(Filter? Filter, FilterKeyword? Keyword)> FindKeywordAsync(string accountId, string keywordId, CancellationToken cancellationToken)
    {
        foreach (var filter in await filters.ListAsync(accountId, cancellationToken))
        {
            if (filter.Keywords.FirstOrDefault(k => k.Id == keywordId) is { } keyword)
            {
                return (filter, keyword);
            }
        }

        return (null, null);
    }

    private async Task<(Filter? Filter, FilterStatus? Status)> FindStatusAsync(string accountId, string filterStatusId, CancellationToken cancellationToken)
    {
        foreach (var filter in await filters.ListAsync(accountId, cancellationToken))
        {
            if (filter.Statuses.FirstOrDefault(s => s.Id == filterStatusId) is { } status)
            {
                return (filter, status);
            }
        }

        return (null, null);
    }

    private async Task<(LocalAccount? Account, WireResult? Failure)> Authorize(HttpRequest request, string scope, CancellationToken cancellationToken)
    {
        var (account, _, failure) = await auth.AuthenticateAsync(request, scope, cancellationToken);
        return (account, failure);
    }

    private async Task<(LocalAccount? Account, ApiParameters? Parameters, WireResult? Failure)> AuthorizeWithParameters(HttpRequest request, string scope, CancellationToken cancellationToken)
    {
        var (account, _, failure) = await auth.AuthenticateAsync(request, scope, cancellationToken);
        if (failure is not null)
        {
            return (null, null, failure);
        }

        var (p, error) = await ApiParameters.ReadAsync(request, cancellationToken);
        return p is null ? (null, null, WireResult.Error(StatusCodes.Status400BadRequest, error!).WithCors()) : (account, p, null);
    }

    private static WireResult Ok(JsonNode doc) => WireResult.Json(StatusCodes.Status200OK, doc).WithCors();

    private static WireResult NotFound() => WireResult.Error(StatusCodes.Status404NotFound, "Record not found").WithCors();

    private static WireResult Invalid(string message) => WireResult.Error(StatusCodes.Status422UnprocessableEntity, "Validation failed: " + message).WithCors();

    [GeneratedRegex(@"^(?<name>[a-z_]+)\[(?<index>\d{1,4})\]\[(?<field>[a-z_]+)\]$")]
    private static partial Regex IndexedKey();
}
