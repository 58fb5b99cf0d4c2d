namespace ServerlessFedi.Storage;

/// <summary>The keys of the <c>oauth</c> table: tokens, applications, codes, logins (see <see cref="StorageKeys"/>).</summary>
public static partial class StorageKeys
{
    /// <summary>
    /// Access token that does not name an account (client_credentials, and account tokens issued before they named theirs):
    /// PK the SHA-256 (hex) of the token, one partition per token; RK <c>token</c>. Account tokens now live beside their
    /// account row (<see cref="AccountAccessToken"/>).
    /// </summary>
    public static (string Pk, string Rk) AccessToken(string tokenHashHex) => (tokenHashHex, "token");

    /// <summary>Access tokens issued to an account: PK <c>acct-{id}</c>, RK token hash (for revoking them all).</summary>
    public static (string Pk, string Rk) AccountToken(string accountId, string tokenHashHex) => ($"acct-{accountId}", tokenHashHex);

    /// <summary>OAuth application: PK <c>app-{clientId}</c> (client ids are base64url), RK <c>app</c>.</summary>
    public static (string Pk, string Rk) OAuthApplication(string clientId) => ($"app-{clientId}", "app");

    /// <summary>Authorization code: PK <c>code-</c> + SHA-256 (hex) of the code, RK <c>code</c>; deleted with If-Match when exchanged.</summary>
    public static (string Pk, string Rk) AuthorizationCode(string codeHashHex) => ($"code-{codeHashHex}", "code");

    /// <summary>
    /// Login throttling of one account: PK <c>login-{subject}</c> (the account id, or for a login naming no account
    /// <c>u</c> + SHA-256 of the lower-cased login, so unknown names are throttled alike), RK <c>failures</c>.
    /// </summary>
    public static (string Pk, string Rk) LoginFailures(string subject) => ($"login-{subject}", "failures");

    /// <summary>An account's TOTP enrolment: PK <c>2fa-{accountId}</c>, RK <c>totp</c> (protected secret, last used step, recovery code hashes).</summary>
    public static (string Pk, string Rk) TwoFactor(string accountId) => ($"2fa-{accountId}", "totp");

    /// <summary>A login waiting for its second factor: PK <c>mfa-</c> + SHA-256 (hex) of the ticket, RK <c>pending</c>.</summary>
    public static (string Pk, string Rk) PendingLogin(string ticketHashHex) => ($"mfa-{ticketHashHex}", "pending");
}
