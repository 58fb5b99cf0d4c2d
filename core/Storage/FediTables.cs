using System.Collections.Concurrent;
using Azure.Data.Tables;
using ServerlessFedi.Configuration;

namespace ServerlessFedi.Storage;

/// <summary>
/// Table clients by logical name. A table is created the first time this process uses it (one extra transaction per
/// table per process) and by <c>admin storage init</c>; never at start-up, which Flex Consumption limits to 30 s.
/// </summary>
public sealed class FediTables(StorageAccount account, FediOptions options)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new(StringComparer.Ordinal);

    public Task<TableClient> GetAsync(string logicalName, CancellationToken cancellationToken = default) =>
        _tables.GetOrAdd(logicalName, name => new Lazy<Task<TableClient>>(() => CreateAsync(name))).Value.WaitAsync(cancellationToken);

    public string PhysicalName(string logicalName) => StorageNames.Table(options.StoragePrefix, logicalName);

    private async Task<TableClient> CreateAsync(string logicalName)
    {
        var client = account.Tables.GetTableClient(PhysicalName(logicalName));
        try
        {
            await client.CreateIfNotExistsAsync(CancellationToken.None);
        }
        catch (Exception)
        {
            // Do not cache a failure: the next call tries again.
            _tables.TryRemove(logicalName, out _);
            throw;
        }

        return client;
    }
}
