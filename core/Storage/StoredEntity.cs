using Azure;
using Azure.Data.Tables;

namespace ServerlessFedi.Storage;

/// <summary>The keys and system properties every table row has; the stores' row classes add their columns.</summary>
internal abstract class StoredEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }
}
