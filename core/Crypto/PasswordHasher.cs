using System.Globalization;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace ServerlessFedi.Crypto;

/// <summary>
/// Argon2id password hashes in the PHC string format (<c>$argon2id$v=19$m=19456,t=2,p=1$salt$hash</c>) with the
/// OWASP-recommended minimum (19 MiB, 2 passes, 1 lane); about 20 ms per hash here. Parameters travel in the string,
/// so raising them later keeps old hashes verifiable.
/// </summary>
public static class PasswordHasher
{
    private const int MemoryKiB = 19 * 1024;
    private const int Passes = 2;
    private const int HashBytes = 32;

    public static string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Derive(password, salt, MemoryKiB, Passes);
        return string.Create(CultureInfo.InvariantCulture,
            $"$argon2id$v=19$m={MemoryKiB},t={Passes},p=1${ToB64(salt)}${ToB64(hash)}");
    }

    /// <summary>Constant-time check; false for a malformed or foreign hash string instead of throwing.</summary>
    public static bool Verify(string password, string phc)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (string.IsNullOrEmpty(phc))
        {
            return false;
        }

        var parts = phc.Split('$');
        if (parts.Length != 6 || parts[1] != "argon2id" || parts[2] != "v=19")
        {
            return false;
        }

        int m = 0, t = 0, p = 0;
        foreach (var kv in parts[3].Split(','))
        {
            var pair = kv.Split('=');
            if (pair.Length != 2 || !int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            {
                return false;
            }

            switch (pair[0])
            {
                case "m": m = v; break;
                case "t": t = v; break;
                case "p": p = v; break;
                default: return false;
            }
        }

        if (p != 1 || m < 8 * 1024 || m > 1024 * 1024 || t < 1 || t > 10)
        {
            return false;
        }

        byte[] salt, expected;
        try
        {
            salt = FromB64(parts[4]);
            expected = FromB64(parts[5]);
        }
        catch (FormatException)
        {
            return false;
        }

        if (salt.Length < 8 || expected.Length < 16)
        {
            return false;
        }

        var actual = Derive(password, salt, m, t, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static byte[] Derive(string password, byte[] salt, int memoryKiB, int passes, int length = HashBytes)
    {
        var algorithm = PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters
        {
            DegreeOfParallelism = 1,
            MemorySize = memoryKiB,
            NumberOfPasses = passes,
        });
        return algorithm.DeriveBytes(password, salt, length);
    }

    // PHC strings use unpadded standard Base64.
    private static string ToB64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] FromB64(string s) => Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
}
