using Azure;
using Azure.Data.Tables;

namespace ServerlessFedi.OAuth;

internal sealed class AccessTokenEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string AccountId { get; set; } = "";
    public string Scopes { get; set; } = "";
    public string? ApplicationId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public string? Description { get; set; }
}
