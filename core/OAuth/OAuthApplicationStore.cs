using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.OAuth;

/// <summary>
/// OAuth applications in the <c>oauth</c> table. Storage transactions: register 1 insert; lookup by client id 1 point read.
/// </summary>
public sealed class OAuthApplicationStore(FediTables tables, SnowflakeIds ids, TimeProvider time)
{
    /// <summary>Out-of-band redirect: the code is shown to the user instead of being sent anywhere.</summary>
    public const string OutOfBand = "urn:ietf:wg:oauth:2.0:oob";

    /// <summary>Registers the application; answers it with the plaintext secret, which is shown once and never stored.</summary>
    public async Task<(OAuthApplication Application, string ClientSecret)> RegisterAsync(string name, string? website, IReadOnlyList<string> scopes, IReadOnlyList<string> redirectUris, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(redirectUris);
        var secret = OAuthSecrets.NewToken();
        var application = new OAuthApplication(ids.Next(), OAuthSecrets.NewToken(), name, website, scopes, redirectUris, OAuthSecrets.Hash(secret), time.GetUtcNow());
        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var (pk, rk) = StorageKeys.OAuthApplication(application.ClientId);
        await table.AddEntityAsync(new TableEntity(pk, rk)
        {
            ["Id"] = application.Id,
            ["Name"] = application.Name,
            ["Website"] = application.Website,
            ["Scopes"] = string.Join(' ', application.Scopes),
            ["RedirectUris"] = string.Join('\n', application.RedirectUris),
            ["SecretHash"] = application.SecretHash,
            ["CreatedAt"] = application.CreatedAt,
        }, cancellationToken);
        return (application, secret);
    }

    public async Task<OAuthApplication?> FindAsync(string? clientId, CancellationToken cancellationToken = default)
    {
        if (!OAuthSecrets.LooksLikeToken(clientId))
        {
            return null;
        }

        var table = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        var (pk, rk) = StorageKeys.OAuthApplication(clientId!);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return null;
        }

        var e = row.Value!;
        return new OAuthApplication(
            e.GetString("Id") ?? "",
            clientId!,
            e.GetString("Name") ?? "",
            e.GetString("Website"),
            (e.GetString("Scopes") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
            (e.GetString("RedirectUris") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries),
            e.GetString("SecretHash") ?? "",
            e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue);
    }

    /// <summary>The application when the client id and secret match (constant-time on the secret's hash); otherwise null.</summary>
    public async Task<OAuthApplication?> AuthenticateAsync(string? clientId, string? clientSecret, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(clientSecret) || clientSecret.Length > 256)
        {
            return null;
        }

        var application = await FindAsync(clientId, cancellationToken);
        if (application is null)
        {
            return null;
        }

        var expected = Encoding.ASCII.GetBytes(application.SecretHash);
        var actual = Encoding.ASCII.GetBytes(OAuthSecrets.Hash(clientSecret));
        return CryptographicOperations.FixedTimeEquals(expected, actual) ? application : null;
    }
}
