using ServerlessFedi.Accounts;
using ServerlessFedi.Team;

namespace ServerlessFedi.OAuth;

/// <summary>Who a login names: the account it acts as, and the staff member of that account when a staff member logs in.</summary>
public sealed record LoginIdentity(LocalAccount Account, StaffMember? Staff)
{
    /// <summary>The password hash to check: the staff member's own, else the account's.</summary>
    public string PasswordHash => Staff?.PasswordHash ?? Account.PasswordHash;

    /// <summary>What the login throttle and the second factor are keyed by: the staff member's identity, else the account id.</summary>
    public string Subject => Staff?.Subject ?? Account.Id;
}
