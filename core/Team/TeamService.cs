using ServerlessFedi.Accounts;
using ServerlessFedi.OAuth;

namespace ServerlessFedi.Team;

/// <summary>
/// Team access of agency accounts: removing a staff member ends everything they hold (row, e-mail, tokens, second factor,
/// login throttle), what a manager may do, and the audit trail's daily expiry.
/// </summary>
public sealed class TeamService(StaffStore staff, AccessTokenStore tokens, TwoFactorStore twoFactors, LoginThrottle throttle, AuditStore audit, AccountListingStore listing)
{
    /// <summary>
    /// Removes the staff member and revokes their tokens at once: their apps answer 401 from the first token row deleted
    /// on; nobody else's tokens are touched. The staff row goes first, so a login completing meanwhile is refused when
    /// its code is exchanged (<see cref="TokenHandler"/>). Storage: <see cref="StaffStore.RemoveAsync"/>,
    /// <see cref="AccessTokenStore.RevokeStaffAsync"/> (1 query + 3 deletes per token), 3 deletes (second factor, both throttles).
    /// Returns how many tokens were revoked.
    /// </summary>
    public async Task<int> RemoveAsync(StaffMember member, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        await staff.RemoveAsync(member, cancellationToken);
        var revoked = await tokens.RevokeStaffAsync(member.AgencyId, member.Name, cancellationToken);
        await twoFactors.DisableAsync(member.Subject, cancellationToken);
        await throttle.ClearAsync(member.Subject, cancellationToken);
        await throttle.ClearAsync(LoginThrottle.SecondFactorSubject(member.Subject), cancellationToken);
        return revoked;
    }

    /// <summary>A manager manages the posters of their own agency, never another agency's staff nor another manager.</summary>
    public static bool MayManage(StaffMember manager, StaffMember target)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(target);
        return manager.Role == StaffRole.Manager && target.Role == StaffRole.Poster && manager.AgencyId == target.AgencyId;
    }

    /// <summary>
    /// Deletes every agency's audit rows past the retention period (the daily timer). Storage: 1 projected range query per
    /// 1,000 accounts, then <see cref="AuditStore.ExpireAsync"/> (1 query per account + 1 batch per 100 expired rows).
    /// </summary>
    public async Task<int> ExpireAuditAsync(CancellationToken cancellationToken = default)
    {
        var accounts = await listing.ListCreatedAsync(cancellationToken);
        return await audit.ExpireAsync(accounts.Select(a => a.Id), cancellationToken);
    }
}
