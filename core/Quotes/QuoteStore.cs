using System.Net;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Quotes;

/// <summary>
/// Quote authorizations of local statuses in the <c>statuses</c> table, one partition per quoted status
/// (<see cref="StorageKeys.QuotePartition"/>). The quoted status's <c>QuotesCount</c> is recounted from that partition
/// whenever it changes (so a repeated or concurrent change cannot drift it): 1 range query + 1 merge of the status row.
/// </summary>
public sealed class QuoteStore(FediTables tables)
{
    /// <summary>
    /// Records <paramref name="authorization"/> unless its quote has one already, which is answered instead (a repeated
    /// request gets the same authorization, a revoked one stays revoked). Storage: 1 insert (+1 read when it exists) + the recount.
    /// </summary>
    public async Task<QuoteAuthorization> AddAsync(QuoteAuthorization authorization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        try
        {
            await table.AddEntityAsync(QuoteAuthorizationEntity.From(authorization), cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            return await GetAsync(authorization.QuotedStatusId, authorization.Id, cancellationToken) ?? authorization;
        }

        await RecountAsync(table, authorization.QuotedStatusId, cancellationToken);
        return authorization;
    }

    /// <summary>The authorization, revoked or not; null when there is none. 1 point read.</summary>
    public async Task<QuoteAuthorization?> GetAsync(string quotedStatusId, string authorizationId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.QuoteAuthorization(quotedStatusId, authorizationId);
        var row = await table.GetEntityIfExistsAsync<QuoteAuthorizationEntity>(pk, rk, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.ToAuthorization() : null;
    }

    /// <summary>The authorizations of a status that stand (not revoked), oldest first by id order. 1 range query.</summary>
    public async Task<IReadOnlyList<QuoteAuthorization>> ListAsync(string quotedStatusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var pk = StorageKeys.QuotePartition(quotedStatusId);
        var found = new List<QuoteAuthorization>();
        await foreach (var row in table.QueryAsync<QuoteAuthorizationEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {pk}"), cancellationToken: cancellationToken))
        {
            if (row.RevokedAt is null)
            {
                found.Add(row.ToAuthorization());
            }
        }

        return found;
    }

    /// <summary>Notes the id the quote got here (1 merge).</summary>
    public async Task SetQuoteStatusAsync(QuoteAuthorization authorization, string quoteStatusId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.QuoteAuthorization(authorization.QuotedStatusId, authorization.Id);
        await table.UpdateEntityAsync(new TableEntity(pk, rk) { [nameof(QuoteAuthorizationEntity.QuoteStatusId)] = quoteStatusId }, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>Marks the authorization revoked at <paramref name="at"/> (its URL answers 404 from now on). 1 merge + the recount.</summary>
    public async Task RevokeAsync(QuoteAuthorization authorization, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.QuoteAuthorization(authorization.QuotedStatusId, authorization.Id);
        await table.UpdateEntityAsync(new TableEntity(pk, rk) { [nameof(QuoteAuthorizationEntity.RevokedAt)] = at }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        await RecountAsync(table, authorization.QuotedStatusId, cancellationToken);
    }

    /// <summary>Remembers that the remote authorization <paramref name="authorizationUri"/> approves the quote <paramref name="quoteUri"/> (1 upsert).</summary>
    public async Task IndexAuthorizationAsync(string authorizationUri, string quoteUri, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.QuoteByAuthorization(authorizationUri);
        await table.UpsertEntityAsync(new TableEntity(pk, rk) { ["QuoteUri"] = quoteUri }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>The quote the remote authorization approves, as <see cref="IndexAuthorizationAsync"/> noted it; null when none (1 point read).</summary>
    public async Task<string?> GetQuoteUriByAuthorizationAsync(string authorizationUri, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.QuoteByAuthorization(authorizationUri);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.GetString("QuoteUri") : null;
    }

    private static async Task RecountAsync(TableClient table, string quotedStatusId, CancellationToken cancellationToken)
    {
        var pk = StorageKeys.QuotePartition(quotedStatusId);
        long count = 0;
        await foreach (var row in table.QueryAsync<QuoteAuthorizationEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {pk}"), select: [nameof(QuoteAuthorizationEntity.RevokedAt)], cancellationToken: cancellationToken))
        {
            count += row.RevokedAt is null ? 1 : 0;
        }

        var (spk, srk) = StorageKeys.Status(quotedStatusId);
        try
        {
            await table.UpdateEntityAsync(new TableEntity(spk, srk) { [nameof(StatusEntity.QuotesCount)] = count }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            // The status is gone: nothing to count on.
        }
    }
}
