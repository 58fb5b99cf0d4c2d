using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ServerlessFedi.Federation;

/// <summary>
/// Mastodon API ids for remote accounts, derived from the actor id so no lookup is needed to name one: 19 decimal digits
/// (10^18 plus 62 bits of the actor id's SHA-256), which never collide with local ids (18-digit snowflakes). The reverse
/// direction (id to actor) is an index row written whenever the actor is cached.
/// </summary>
public static class RemoteAccountIds
{
    private const long Offset = 1_000_000_000_000_000_000;

    public static string For(string actorId)
    {
        ArgumentNullException.ThrowIfNull(actorId);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(actorId));
        var value = (long)(BitConverter.ToUInt64(hash, 0) & 0x3FFF_FFFF_FFFF_FFFF) % (long.MaxValue - Offset);
        return (Offset + value).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Whether the id has the shape of a remote account id (it may still name no known actor).</summary>
    public static bool IsRemote(string? id) => id is { Length: 19 } && id.All(char.IsAsciiDigit) && id[0] != '0';
}
