using System.Security.Cryptography;
using System.Text;
using ServerlessFedi.Configuration;

namespace ServerlessFedi.OAuth;

/// <summary>
/// Seals TOTP secrets with AES-256-GCM under <c>Fedi__TwoFactorKey</c> (an app setting, not in storage), bound to the
/// account id as associated data: the <c>oauth</c> table alone reveals no secret, and a sealed secret copied to another
/// account's row does not open. Layout: version byte 1, 12-byte nonce, 16-byte tag, ciphertext.
/// </summary>
public sealed class TotpSecretProtector(FediOptions options)
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    /// <summary>Whether <c>Fedi__TwoFactorKey</c> is set (the validator checked its shape at start-up).</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.TwoFactorKey);

    public byte[] Protect(string accountId, byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var sealedSecret = new byte[1 + NonceSize + TagSize + secret.Length];
        sealedSecret[0] = Version;
        var nonce = sealedSecret.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Key(), TagSize);
        aes.Encrypt(nonce, secret, sealedSecret.AsSpan(1 + NonceSize + TagSize), sealedSecret.AsSpan(1 + NonceSize, TagSize), Encoding.UTF8.GetBytes(accountId));
        return sealedSecret;
    }

    /// <summary>The secret; null when the value was not sealed for this account under this key (tampered, moved, or the key changed).</summary>
    public byte[]? Unprotect(string accountId, byte[] sealedSecret)
    {
        ArgumentNullException.ThrowIfNull(sealedSecret);
        if (sealedSecret.Length <= 1 + NonceSize + TagSize || sealedSecret[0] != Version)
        {
            return null;
        }

        var secret = new byte[sealedSecret.Length - 1 - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(Key(), TagSize);
            aes.Decrypt(sealedSecret.AsSpan(1, NonceSize), sealedSecret.AsSpan(1 + NonceSize + TagSize), sealedSecret.AsSpan(1 + NonceSize, TagSize), secret, Encoding.UTF8.GetBytes(accountId));
            return secret;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    /// <summary>The 32-byte key, or a configuration error naming the setting.</summary>
    private byte[] Key()
    {
        if (ParseKey(options.TwoFactorKey) is { } key)
        {
            return key;
        }

        throw new FediConfigurationException(
            ["Fedi__TwoFactorKey is not set: two-factor logins need a 32-byte key in base64 (e.g. 'openssl rand -base64 32') as an app setting."]);
    }

    /// <summary>The key's bytes when <paramref name="value"/> is base64 of exactly 32 bytes; otherwise null.</summary>
    public static byte[]? ParseKey(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var buffer = new byte[48];
        return Convert.TryFromBase64String(value.Trim(), buffer, out var written) && written == 32 ? buffer[..32] : null;
    }
}
