using System.Security.Cryptography;
using System.Text;

namespace ServerlessFedi.OAuth;

/// <summary>Random secrets (256 bits, base64url) and their stored form (SHA-256 hex): client ids and secrets, codes, CSRF tokens.</summary>
public static class OAuthSecrets
{
    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return ServerlessFedi.Storage.StorageKeys.Sha256Hex(value);
    }

    /// <summary>Whether a value has the shape of <see cref="NewToken"/> output (so it can be a table key).</summary>
    public static bool LooksLikeToken(string? value) =>
        value is { Length: >= 32 and <= 128 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>Constant-time comparison of two strings (their UTF-8 bytes).</summary>
    public static bool FixedTimeEquals(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
    }

    public static string Base64Url(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
