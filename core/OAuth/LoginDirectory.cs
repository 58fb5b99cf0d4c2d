using ServerlessFedi.Accounts;
using ServerlessFedi.Team;

namespace ServerlessFedi.OAuth;

/// <summary>
/// Resolves what a person types as their login on the authorization page: <c>username</c> (or <c>@username</c>) of an
/// account, <c>staff@agency</c> for a staff member of an agency account (a login part without a dot, which no e-mail
/// address has), or an e-mail address of an account or a staff member. Storage: a username 2 reads; <c>staff@agency</c>
/// 3 reads (username index, account, staff row); an account's e-mail 2 reads, a staff member's 5 (the e-mail index is read
/// by the account lookup and again by the staff lookup, then the staff row and the account).
/// </summary>
public sealed class LoginDirectory(AccountStore accounts, StaffStore staff)
{
    /// <summary>The identity the login names; null when it names nobody (or a deleted account, or a removed staff member).</summary>
    public async Task<LoginIdentity?> FindAsync(string login, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(login);
        var at = login.LastIndexOf('@');
        if (at <= 0)
        {
            return await accounts.GetByUsernameAsync(login.TrimStart('@'), cancellationToken) is { } own ? new LoginIdentity(own, null) : null;
        }

        var domain = login[(at + 1)..];
        if (!domain.Contains('.', StringComparison.Ordinal))
        {
            var agency = AccountRules.CheckUsername(domain) is null ? await accounts.GetByUsernameAsync(domain, cancellationToken) : null;
            var member = agency is null ? null : await staff.GetAsync(agency.Id, login[..at].ToLowerInvariant(), cancellationToken);
            return member is null ? null : new LoginIdentity(agency!, member);
        }

        if (await accounts.GetByEmailAsync(login, cancellationToken) is { } account)
        {
            return new LoginIdentity(account, null);
        }

        var byEmail = await staff.GetByEmailAsync(login, cancellationToken);
        return byEmail is not null && await accounts.GetByIdAsync(byEmail.AgencyId, cancellationToken) is { } employer ? new LoginIdentity(employer, byEmail) : null;
    }

    /// <summary>The identity again by its ids (a login's second step); null once the account is deleted or the staff member removed.</summary>
    public async Task<LoginIdentity?> GetAsync(string accountId, string? staffName, CancellationToken cancellationToken = default)
    {
        var account = await accounts.GetByIdAsync(accountId, cancellationToken);
        if (account is null || staffName is null)
        {
            return account is null ? null : new LoginIdentity(account, null);
        }

        return await staff.GetAsync(accountId, staffName, cancellationToken) is { } member ? new LoginIdentity(account, member) : null;
    }
}
