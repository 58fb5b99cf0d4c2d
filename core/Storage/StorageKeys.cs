using System.Globalization;
using System.Text;

namespace ServerlessFedi.Storage;

/// <summary>
/// Every PartitionKey/RowKey shape in one place. Keys never contain <c>/ \ # ?</c> or control characters
/// (Azure Table rules); user-supplied parts go through <see cref="Escape"/>.
/// </summary>
public static class StorageKeys
{
    // accounts table
    public const string AccountPartition = "account";
    public const string UsernamePartition = "username";
    public const string EmailPartition = "email";
    public const string InstancePartition = "instance";
    public const string InstanceActorRow = "actor";

    /// <summary>Account row: PK <c>account</c>, RK the account id (a one-partition range query lists all local accounts).</summary>
    public static (string Pk, string Rk) Account(string id) => (AccountPartition, id);

    /// <summary>Username index: PK <c>username</c>, RK the lower-cased username; inserting it is the uniqueness check.</summary>
    public static (string Pk, string Rk) Username(string username) => (UsernamePartition, username.ToLowerInvariant());

    /// <summary>E-mail index, for login by e-mail and uniqueness.</summary>
    public static (string Pk, string Rk) Email(string email) => (EmailPartition, Escape(email.Trim().ToLowerInvariant()));

    public static (string Pk, string Rk) InstanceActor() => (InstancePartition, InstanceActorRow);

    // oauth table

    /// <summary>Access token: PK the SHA-256 (hex) of the token, one partition per token; RK <c>token</c>.</summary>
    public static (string Pk, string Rk) AccessToken(string tokenHashHex) => (tokenHashHex, "token");

    /// <summary>Access tokens issued to an account: PK <c>acct-{id}</c>, RK token hash (for revoking them all).</summary>
    public static (string Pk, string Rk) AccountToken(string accountId, string tokenHashHex) => ($"acct-{accountId}", tokenHashHex);

    /// <summary>Row key that sorts newest first for a time-ordered id (ids are 18-digit snowflakes).</summary>
    public static string Descending(string id) =>
        (999_999_999_999_999_999L - long.Parse(id, CultureInfo.InvariantCulture)).ToString("D18", CultureInfo.InvariantCulture);

    /// <summary>Percent-encodes the characters Azure Tables forbid in keys (and <c>%</c> itself) so any string can be a key.</summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c))
            {
                sb.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
