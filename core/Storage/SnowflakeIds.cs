using System.Globalization;
using System.Security.Cryptography;

namespace ServerlessFedi.Storage;

/// <summary>
/// Mastodon-style ids: <c>milliseconds since the Unix epoch &lt;&lt; 16 | sequence</c>, written as 18 decimal digits
/// (the width holds from 2018 to the year 2453), so ordinal string order is time order. The sequence starts at a random
/// value each millisecond and counts up within this process, so ids from one process are strictly increasing and
/// two processes rarely collide; writers insert with <c>AddEntity</c> and retry with a new id on the rare conflict.
/// </summary>
/// <param name="sequenceStart">Where each millisecond's sequence starts; random unless given (tests fix it for repeatable ids).</param>
public sealed class SnowflakeIds(TimeProvider time, Func<int>? sequenceStart = null)
{
    /// <summary>How many of <see cref="ForRemote(string, string, int)"/>'s attempts are derived from the URI.</summary>
    public const int HashedRemoteAttempts = 8;

    private readonly Lock _gate = new();
    private long _last;

    public string Next()
    {
        var ms = time.GetUtcNow().ToUnixTimeMilliseconds();
        long id;
        lock (_gate)
        {
            var candidate = (ms << 16) | (uint)(sequenceStart?.Invoke() ?? RandomNumberGenerator.GetInt32(0, 1 << 15));
            id = candidate > _last ? candidate : _last + 1;
            _last = id;
        }

        return Format(id);
    }

    /// <summary>The smallest id of a millisecond: for <c>max_id</c>/<c>min_id</c> bounds from a time.</summary>
    public static string AtTime(DateTimeOffset instant) => Format(instant.ToUnixTimeMilliseconds() << 16);

    public static DateTimeOffset TimeOf(string id) =>
        DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(id, CultureInfo.InvariantCulture) >> 16);

    /// <summary>
    /// The id of a remote status: its publication time (never later than <paramref name="now"/>) and 16 bits of the hash
    /// of its ActivityPub id, so it sorts by time like Mastodon's and the same object always gets the same id.
    /// </summary>
    public static string ForRemote(DateTimeOffset published, DateTimeOffset now, string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var at = published > now ? now : published;
        var seq = BitConverter.ToUInt16(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(uri)), 0);
        return Format((Math.Max(0, at.ToUnixTimeMilliseconds()) << 16) | seq);
    }

    /// <summary>
    /// Another id for the remote status <paramref name="uri"/> in the millisecond of <paramref name="firstId"/>, for when that
    /// id is held by another status (a sender can choose an object id whose hash matches any id it sees). The first
    /// <see cref="HashedRemoteAttempts"/> attempts hash the attempt number with the URI, so the same object finds its own row
    /// again after a crash; later ones draw at random, so no sender can fill every place its target could take.
    /// </summary>
    public static string ForRemote(string firstId, string uri, int attempt)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var ms = long.Parse(firstId, CultureInfo.InvariantCulture) >> 16;
        var seq = attempt < HashedRemoteAttempts
            ? BitConverter.ToUInt16(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{attempt.ToString(CultureInfo.InvariantCulture)}:{uri}")), 0)
            : RandomNumberGenerator.GetInt32(0, 1 << 16);
        return Format((ms << 16) | (uint)seq);
    }

    public static bool IsValid(string? id) =>
        id is { Length: 18 } && id.All(char.IsAsciiDigit);

    private static string Format(long id) => id.ToString("D18", CultureInfo.InvariantCulture);
}
