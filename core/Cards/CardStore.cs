using System.Net;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Cards;

/// <summary>
/// Preview cards: one row per URL in the <c>media</c> table (<see cref="StorageKeys.LinkCard"/>), shared by every status
/// linking to it, holding the card or the note that the page gave none; and the card's copy in a status's rows (the
/// <c>Card</c> column of its main row, account copy and reply copy), so rendering a status reads nothing more.
/// Storage: get 1 point read; save 1 upsert; attach 1 point read + 1 conditional merge (+1 per concurrent change) + 1-2 merges.
/// </summary>
public sealed class CardStore(FediTables tables)
{
    private const int MaxAttachAttempts = 10;

    public async Task<CachedCard?> GetAsync(string url, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.MediaTable, cancellationToken);
        var (pk, rk) = StorageKeys.LinkCard(url);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return null;
        }

        var json = row.Value!.GetString("Card");
        var card = string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize(json, CardJsonContext.Default.LinkCard);
        return new CachedCard(card, row.Value.GetDateTimeOffset("FetchedAt") ?? DateTimeOffset.MinValue);
    }

    /// <summary>Records what fetching <paramref name="url"/> gave (null: no card) at <paramref name="fetchedAt"/>, replacing what was there.</summary>
    public async Task SaveAsync(string url, LinkCard? card, DateTimeOffset fetchedAt, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.MediaTable, cancellationToken);
        var (pk, rk) = StorageKeys.LinkCard(url);
        var row = new TableEntity(pk, rk) { ["FetchedAt"] = fetchedAt, ["Card"] = card is null ? null : Serialize(card) };
        await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>
    /// Sets (or, with null, removes) the card of the status <paramref name="statusId"/> in its rows, provided the status as
    /// stored now still <paramref name="applies"/> (its link may have changed by an edit while the page was fetched) and is
    /// not deleted: the main row on the ETag it was read with, then its copies. False when it no longer applies.
    /// </summary>
    public async Task<bool> AttachAsync(string statusId, LinkCard? card, Func<Status, bool> applies, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(applies);
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.Status(statusId);
        // An empty string, not null: a merge leaves a property it is not sent (the SDK omits nulls), so null would keep the old card.
        var json = card is null ? "" : Serialize(card);
        for (var attempt = 0; attempt < MaxAttachAttempts; attempt++)
        {
            var row = await table.GetEntityIfExistsAsync<StatusEntity>(pk, rk, cancellationToken: cancellationToken);
            if (!row.HasValue || row.Value!.ToStatus() is not { DeletedAt: null } status || !applies(status))
            {
                return false;
            }

            try
            {
                await table.UpdateEntityAsync(new TableEntity(pk, rk) { [nameof(StatusEntity.Card)] = json }, row.Value.ETag, TableUpdateMode.Merge, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
            {
                continue;
            }

            await MergeCopyAsync(table, StorageKeys.AccountStatus(status.AccountId, status.Id), json, cancellationToken);
            if (status.InReplyToId is { } parentId && SnowflakeIds.IsValid(parentId))
            {
                await MergeCopyAsync(table, StorageKeys.StatusReply(parentId, status.Id), json, cancellationToken);
            }

            return true;
        }

        return false;
    }

    /// <summary>A card as the <c>Card</c> column of a status row holds it.</summary>
    internal static string Serialize(LinkCard card) => JsonSerializer.Serialize(card, CardJsonContext.Default.LinkCard);

    /// <summary>The card of a status row's <c>Card</c> column; null when it has none.</summary>
    internal static LinkCard? Deserialize(string? json) => string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize(json, CardJsonContext.Default.LinkCard);

    private static async Task MergeCopyAsync(TableClient table, (string Pk, string Rk) key, string json, CancellationToken cancellationToken)
    {
        try
        {
            await table.UpdateEntityAsync(new TableEntity(key.Pk, key.Rk) { [nameof(StatusEntity.Card)] = json }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            // The copy is gone (the status was deleted meanwhile): nothing to keep in step.
        }
    }
}
