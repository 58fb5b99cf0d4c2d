using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// Finding accounts by handle or name, for <c>/api/v1/accounts/lookup</c>, <c>/accounts/search</c> and
/// <c>/api/v2/search</c> (docs: methods/accounts#lookup, #search). Local accounts by username (1-2 point reads) or by
/// prefix (a scan of the instance's accounts, which are few); remote ones by WebFinger through the guarded client.
/// </summary>
public sealed class AccountSearch(AccountDirectory directory, AccountStore accounts, AccountResolver remoteAccounts, InstanceUrls urls)
{
    /// <summary>Local accounts whose username starts with or whose display name contains <paramref name="q"/>; a full handle resolves (remotely only with <paramref name="resolve"/>).</summary>
    public async Task<IReadOnlyList<AccountRef>> SearchAsync(string q, bool resolve, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(q);
        var term = q.TrimStart('@');
        var result = new List<AccountRef>();
        if (term.Length == 0)
        {
            return result;
        }

        if (term.Contains('@', StringComparison.Ordinal))
        {
            if (await FindByAcctAsync(term, resolve, cancellationToken) is { } exact)
            {
                result.Add(exact);
            }

            return result;
        }

        await foreach (var account in accounts.ListAsync(cancellationToken))
        {
            if (account.Username.StartsWith(term, StringComparison.OrdinalIgnoreCase) || account.DisplayName.Contains(term, StringComparison.OrdinalIgnoreCase))
            {
                result.Add(directory.Of(account));
                if (result.Count >= limit)
                {
                    break;
                }
            }
        }

        return result;
    }

    /// <summary>
    /// <c>user</c> or <c>user@domain</c>: local by username; remote from the cache, or by WebFinger (within the
    /// request's resolution budget) only with <paramref name="resolve"/>.
    /// </summary>
    public async Task<AccountRef?> FindByAcctAsync(string acct, bool resolve, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(acct);
        var at = acct.IndexOf('@', StringComparison.Ordinal);
        var user = at < 0 ? acct : acct[..at];
        var domain = at < 0 ? null : acct[(at + 1)..];
        if (domain is null || IsLocalDomain(domain))
        {
            var local = await accounts.GetByUsernameAsync(user, cancellationToken);
            return local is null ? null : directory.Of(local);
        }

        if (user.Length == 0 || domain.Length == 0 || domain.Contains('/', StringComparison.Ordinal))
        {
            return null;
        }

        var remote = resolve
            ? await remoteAccounts.ResolveHandleAsync(user, domain, cancellationToken)
            : await remoteAccounts.FindByHandleAsync(user, domain, cancellationToken);
        return remote is null ? null : AccountDirectory.Of(remote);
    }

    private bool IsLocalDomain(string domain) =>
        string.Equals(domain, urls.AccountDomain, StringComparison.OrdinalIgnoreCase) || string.Equals(domain, urls.WebDomain, StringComparison.OrdinalIgnoreCase);
}
