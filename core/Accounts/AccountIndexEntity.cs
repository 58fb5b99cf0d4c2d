using ServerlessFedi.Storage;

namespace ServerlessFedi.Accounts;

/// <summary>Username or e-mail index row pointing at an account id.</summary>
internal sealed class AccountIndexEntity : StoredEntity
{
    public string AccountId { get; set; } = "";

    /// <summary>When the claim was made; an index row without its account is an orphan only after a grace period.</summary>
    public DateTimeOffset? ClaimedAt { get; set; }
}
