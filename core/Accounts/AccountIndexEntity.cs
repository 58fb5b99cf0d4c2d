using ServerlessFedi.Storage;

namespace ServerlessFedi.Accounts;

/// <summary>Username or e-mail index row pointing at an account id.</summary>
internal sealed class AccountIndexEntity : StoredEntity
{
    public string AccountId { get; set; } = "";

    /// <summary>When the claim was made; an index row without its account is an orphan only after a grace period.</summary>
    public DateTimeOffset? ClaimedAt { get; set; }

    /// <summary>Set on an e-mail row that belongs to a staff member of the account (<c>Team/StaffStore</c>), not to the account.</summary>
    public string? Staff { get; set; }
}
