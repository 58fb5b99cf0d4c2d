using Microsoft.AspNetCore.Http;
using ServerlessFedi.Filters;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Storage;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>/api/v2/filters</c> with their keywords and statuses, and the read-only v1 view (docs: methods/filters).
/// Scopes: <c>read:filters</c> to read, <c>write:filters</c> to change. Keyword and status sub-resources are found by
/// reading the account's filters (one range query), as they live inside their filter's row; the request's fields are
/// checked by <see cref="FilterParameters"/>. Storage: reads auth + 1 (point read or range query); writes auth + 1 read
/// + 1 upsert (create: 1 range query for the per-account bound + 1 upsert); delete auth + 1 read + 1 delete.
/// </summary>
public sealed class FiltersApiHandler(ApiEndpoint api, FilterStore filters, FilterParameters parameters, SnowflakeIds ids)
{
    private static readonly ApiAccess Read = ApiAccess.Token("read:filters");

    private static readonly ApiAccess Write = ApiAccess.Token("write:filters").WithParameters();

    public Task<WireResult> ListAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, Read, async r =>
            Ok([.. (await filters.ListAsync(r.Account.Id, cancellationToken)).Select(FilterMapper.ToFilter)], Wire.IReadOnlyListFilter), cancellationToken);

    public Task<WireResult> GetAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        OwnFilterAsync(request, Read, id, (_, filter) => Task.FromResult(Ok(FilterMapper.ToFilter(filter), Wire.Filter)), cancellationToken);

    public Task<WireResult> CreateAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, Write, async r =>
        {
            var draft = new Filter { Id = ids.Next(), AccountId = r.Account.Id, Title = "", Context = [] };
            var (filter, error) = parameters.Apply(draft, r.Parameters, creating: true);
            if (error is not null)
            {
                return error;
            }

            if ((await filters.ListAsync(r.Account.Id, cancellationToken)).Count >= FilterStore.MaxFiltersPerAccount)
            {
                return Invalid($"an account may have at most {FilterStore.MaxFiltersPerAccount} filters");
            }

            await filters.SaveAsync(filter!, cancellationToken);
            return Ok(FilterMapper.ToFilter(filter!), Wire.Filter);
        }, cancellationToken);

    public Task<WireResult> UpdateAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        OwnFilterAsync(request, Write, id, async (r, existing) =>
        {
            var (filter, error) = parameters.Apply(existing, r.Parameters, creating: false);
            if (error is not null)
            {
                return error;
            }

            await filters.SaveAsync(filter!, cancellationToken);
            return Ok(FilterMapper.ToFilter(filter!), Wire.Filter);
        }, cancellationToken);

    public Task<WireResult> DeleteAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        OwnFilterAsync(request, ApiAccess.Token("write:filters"), id, async (r, _) =>
        {
            await filters.DeleteAsync(r.Account.Id, id, cancellationToken);
            return Done();
        }, cancellationToken);

    public Task<WireResult> ListKeywordsAsync(HttpRequest request, string filterId, CancellationToken cancellationToken) =>
        OwnFilterAsync(request, Read, filterId, (_, filter) => Task.FromResult(Ok([.. filter.Keywords.Select(FilterMapper.ToKeyword)], Wire.IReadOnlyListFilterKeyword)), cancellationToken);

    public Task<WireResult> AddKeywordAsync(HttpRequest request, string filterId, CancellationToken cancellationToken) =>
        OwnFilterAsync(request, Write, filterId, async (r, filter) =>
        {
            if (FilterParameters.CheckKeyword(r.Parameters.Get("keyword")) is { } invalid)
            {
                return Invalid(invalid);
            }

            if (filter.Keywords.Count >= FilterStore.MaxKeywordsPerFilter)
            {
                return Invalid($"a filter may have at most {FilterStore.MaxKeywordsPerFilter} keywords");
            }

            var keyword = new FilterKeyword(ids.Next(), r.Parameters.Get("keyword")!, r.Parameters.GetBool("whole_word") ?? false);
            await filters.SaveAsync(filter with { Keywords = [.. filter.Keywords, keyword] }, cancellationToken);
            return Ok(FilterMapper.ToKeyword(keyword), Wire.FilterKeyword);
        }, cancellationToken);

    public Task<WireResult> GetKeywordAsync(HttpRequest request, string keywordId, CancellationToken cancellationToken) =>
        api.RunAsync(request, Read, async r =>
            await FindKeywordAsync(r.Account.Id, keywordId, cancellationToken) is (not null, { } keyword) ? Ok(FilterMapper.ToKeyword(keyword), Wire.FilterKeyword) : NotFound(), cancellationToken);

    public Task<WireResult> UpdateKeywordAsync(HttpRequest request, string keywordId, CancellationToken cancellationToken) =>
        api.RunAsync(request, Write, async r =>
        {
            var (filter, keyword) = await FindKeywordAsync(r.Account.Id, keywordId, cancellationToken);
            if (filter is null || keyword is null)
            {
                return NotFound();
            }

            var p = r.Parameters;
            if (p.Get("keyword") is { } text && FilterParameters.CheckKeyword(text) is { } invalid)
            {
                return Invalid(invalid);
            }

            var updated = keyword with { Keyword = p.Get("keyword") ?? keyword.Keyword, WholeWord = p.GetBool("whole_word") ?? keyword.WholeWord };
            await filters.SaveAsync(filter with { Keywords = filter.Keywords.Select(k => k.Id == keywordId ? updated : k).ToArray() }, cancellationToken);
            return Ok(FilterMapper.ToKeyword(updated), Wire.FilterKeyword);
        }, cancellationToken);

    public Task<WireResult> DeleteKeywordAsync(HttpRequest request, string keywordId, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:filters"), async r =>
        {
            var (filter, keyword) = await FindKeywordAsync(r.Account.Id, keywordId, cancellationToken);
            if (filter is null || keyword is null)
            {
                return NotFound();
            }

            await filters.SaveAsync(filter with { Keywords = filter.Keywords.Where(k => k.Id != keywordId).ToArray() }, cancellationToken);
            return Done();
        }, cancellationToken);

    public Task<WireResult> ListStatusesAsync(HttpRequest request, string filterId, CancellationToken cancellationToken) =>
        OwnFilterAsync(request, Read, filterId, (_, filter) => Task.FromResult(Ok([.. filter.Statuses.Select(FilterMapper.ToStatus)], Wire.IReadOnlyListFilterStatus)), cancellationToken);

    public Task<WireResult> AddStatusAsync(HttpRequest request, string filterId, CancellationToken cancellationToken) =>
        OwnFilterAsync(request, Write, filterId, async (r, filter) =>
        {
            var statusId = r.Parameters.Get("status_id");
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
            return Ok(FilterMapper.ToStatus(status), Wire.FilterStatus);
        }, cancellationToken);

    public Task<WireResult> GetStatusAsync(HttpRequest request, string filterStatusId, CancellationToken cancellationToken) =>
        api.RunAsync(request, Read, async r =>
            await FindStatusAsync(r.Account.Id, filterStatusId, cancellationToken) is (not null, { } status) ? Ok(FilterMapper.ToStatus(status), Wire.FilterStatus) : NotFound(), cancellationToken);

    public Task<WireResult> DeleteStatusAsync(HttpRequest request, string filterStatusId, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:filters"), async r =>
        {
            var (filter, status) = await FindStatusAsync(r.Account.Id, filterStatusId, cancellationToken);
            if (filter is null || status is null)
            {
                return NotFound();
            }

            await filters.SaveAsync(filter with { Statuses = filter.Statuses.Where(s => s.Id != filterStatusId).ToArray() }, cancellationToken);
            return Done();
        }, cancellationToken);

    /// <summary><c>GET /api/v1/filters</c>: every keyword of every filter as a v1 Filter.</summary>
    public Task<WireResult> ListV1Async(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, Read, async r =>
            Ok([.. (await filters.ListAsync(r.Account.Id, cancellationToken)).SelectMany(f => f.Keywords.Select(k => FilterMapper.ToV1Filter(f, k)))], Wire.IReadOnlyListV1Filter), cancellationToken);

    /// <summary><c>GET /api/v1/filters/{id}</c>: the id is a keyword id.</summary>
    public Task<WireResult> GetV1Async(HttpRequest request, string keywordId, CancellationToken cancellationToken) =>
        api.RunAsync(request, Read, async r =>
            await FindKeywordAsync(r.Account.Id, keywordId, cancellationToken) is ({ } filter, { } keyword) ? Ok(FilterMapper.ToV1Filter(filter, keyword), Wire.V1Filter) : NotFound(), cancellationToken);

    /// <summary>The caller's filter <paramref name="id"/> for <paramref name="handle"/>, or 404.</summary>
    private Task<WireResult> OwnFilterAsync(HttpRequest request, ApiAccess access, string id, Func<ApiRequest, Filter, Task<WireResult>> handle, CancellationToken cancellationToken) =>
        api.RunAsync(request, access, async r =>
            await filters.GetAsync(r.Account.Id, id, cancellationToken) is { } filter ? await handle(r, filter) : NotFound(), cancellationToken);

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
}
