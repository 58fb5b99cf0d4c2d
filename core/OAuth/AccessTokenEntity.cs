using ServerlessFedi.Storage;

namespace ServerlessFedi.OAuth;

internal sealed class AccessTokenEntity : StoredEntity
{
    public string AccountId { get; set; } = "";
    public string Scopes { get; set; } = "";
    public string? ApplicationId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public string? Description { get; set; }

    public string? Staff { get; set; }
}
