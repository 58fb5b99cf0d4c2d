using System.Net;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Moderation;

/// <summary>
/// The operator's domain blocks and account actions in the <c>moderation</c> table (keys in <see cref="StorageKeys"/>).
/// Storage: put 1 upsert; remove 1 delete; <see cref="LoadAsync"/> 2 range queries (1 per 1,000 rows).
/// </summary>
public sealed class ModerationStore(FediTables tables)
{
    /// <summary>Rows read per kind; a deployment with more is far outside what one operator manages by hand.</summary>
    public const int MaxRows = 10_000;

    public async Task PutDomainBlockAsync(InstanceDomainBlock block, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(block);
        var table = await tables.GetAsync(StorageNames.ModerationTable, cancellationToken);
        var (pk, rk) = StorageKeys.InstanceDomainBlock(block.Domain);
        await table.UpsertEntityAsync(new TableEntity(pk, rk)
        {
            ["Domain"] = block.Domain,
            ["Severity"] = block.Severity.ToString(),
            ["RejectMedia"] = block.RejectMedia,
            ["RejectReports"] = block.RejectReports,
            ["PublicComment"] = block.PublicComment,
            ["CreatedAt"] = block.CreatedAt,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>False when the domain was not blocked.</summary>
    public async Task<bool> RemoveDomainBlockAsync(string domain, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.ModerationTable, cancellationToken);
        var (pk, rk) = StorageKeys.InstanceDomainBlock(domain);
        return (await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken)).Status != (int)HttpStatusCode.NotFound;
    }

    public async Task PutAccountAsync(ModeratedAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var table = await tables.GetAsync(StorageNames.ModerationTable, cancellationToken);
        var (pk, rk) = StorageKeys.ModeratedAccount(account.ActorId);
        await table.UpsertEntityAsync(new TableEntity(pk, rk)
        {
            ["ActorId"] = account.ActorId,
            ["Acct"] = account.Acct,
            ["Severity"] = account.Severity.ToString(),
            ["CreatedAt"] = account.CreatedAt,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>False when the account had no action.</summary>
    public async Task<bool> RemoveAccountAsync(string actorId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.ModerationTable, cancellationToken);
        var (pk, rk) = StorageKeys.ModeratedAccount(actorId);
        return (await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken)).Status != (int)HttpStatusCode.NotFound;
    }

    /// <summary>Every block and account action (at most <see cref="MaxRows"/> of each).</summary>
    public async Task<ModerationRules> LoadAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.ModerationTable, cancellationToken);
        var domains = new List<InstanceDomainBlock>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.InstanceDomainBlockPartition}"), maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            domains.Add(new InstanceDomainBlock(
                row.GetString("Domain"),
                Severity(row),
                row.GetBoolean("RejectMedia") == true,
                row.GetBoolean("RejectReports") == true,
                row.GetString("PublicComment"),
                row.GetDateTimeOffset("CreatedAt") ?? default));
            if (domains.Count >= MaxRows)
            {
                break;
            }
        }

        var accounts = new List<ModeratedAccount>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.ModeratedAccountPartition}"), maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            accounts.Add(new ModeratedAccount(row.GetString("ActorId"), row.GetString("Acct") ?? "", Severity(row), row.GetDateTimeOffset("CreatedAt") ?? default));
            if (accounts.Count >= MaxRows)
            {
                break;
            }
        }

        return new ModerationRules(domains, accounts);
    }

    private static DomainSeverity Severity(TableEntity row) =>
        Enum.TryParse<DomainSeverity>(row.GetString("Severity"), ignoreCase: true, out var severity) ? severity : DomainSeverity.Suspend;
}
