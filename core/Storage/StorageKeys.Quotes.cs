namespace ServerlessFedi.Storage;

/// <summary>The keys of quote authorizations (FEP-044f), in the <c>statuses</c> table (see <see cref="StorageKeys"/>).</summary>
public static partial class StorageKeys
{
    /// <summary>
    /// The partition of a quoted status's authorizations (<c>quotes-{statusId}</c>): one row per quote, so the quotes of a
    /// status are one range query and their count follows from it.
    /// </summary>
    public static string QuotePartition(string quotedStatusId) => $"quotes-{quotedStatusId}";

    /// <summary>The authorization of one quote: PK <see cref="QuotePartition"/>, RK <see cref="QuoteAuthorizationId"/>.</summary>
    public static (string Pk, string Rk) QuoteAuthorization(string quotedStatusId, string authorizationId) => (QuotePartition(quotedStatusId), authorizationId);

    /// <summary>The id of the authorization of the quote <paramref name="quoteUri"/> (16 hex digits): one per quote, whoever asks again.</summary>
    public static string QuoteAuthorizationId(string quoteUri) => Sha256Hex(quoteUri)[..16];

    /// <summary>
    /// The quote a remote <c>QuoteAuthorization</c> approves (PK <c>quoteauth-{sha256(uri)}</c>, RK <c>quote</c>): written
    /// when one of our quotes is accepted or a remote quote's authorization verifies, read when its author deletes it.
    /// </summary>
    public static (string Pk, string Rk) QuoteByAuthorization(string authorizationUri) => ($"quoteauth-{Sha256Hex(authorizationUri)}", "quote");
}
