using ServerlessFedi.Accounts;

namespace ServerlessFedi.OAuth;

/// <summary>
/// A row of the account partition read by <see cref="AccessTokenStore.FindWithAccountAsync"/>'s range query: an account
/// row (the <see cref="AccountEntity"/> columns) or an access token beside it (the columns below), one type so one query
/// reads both. Each row fills only its own columns.
/// </summary>
internal sealed class AccountTokenRow : AccountEntity
{
    public string AccountId { get; set; } = "";
    public string Scopes { get; set; } = "";
    public string? ApplicationId { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public string? Description { get; set; }
    public string? Staff { get; set; }

    public AccessTokenEntity ToToken() => new()
    {
        PartitionKey = PartitionKey,
        RowKey = RowKey,
        AccountId = AccountId,
        Scopes = Scopes,
        ApplicationId = ApplicationId,
        CreatedAt = CreatedAt,
        ExpiresAt = ExpiresAt,
        Description = Description,
        Staff = Staff,
    };
}
