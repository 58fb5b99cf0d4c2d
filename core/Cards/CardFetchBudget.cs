using ServerlessFedi.Http;

namespace ServerlessFedi.Cards;

/// <summary>
/// How many pages one process may fetch for cards: <see cref="PerHostPerMinute"/> of one host and
/// <see cref="PerMinute"/> in all, in windows of a minute (<see cref="WindowCounters"/>), so a flood of posts linking
/// to one server, or to thousands, makes this instance fetch a bounded number of pages. In memory per process, so a
/// scaled-out app fetches up to that much per instance. Cached cards are never counted.
/// </summary>
public sealed class CardFetchBudget(TimeProvider time)
{
    public const int PerHostPerMinute = 10;

    public const int PerMinute = 120;

    private const string AllHosts = "*";

    private readonly WindowCounters _counters = new(time, TimeSpan.FromMinutes(1), 10_000);

    /// <summary>Takes one fetch of <paramref name="host"/> from the budget; false when the host's or the process's share of this minute is used.</summary>
    public bool TryTake(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return _counters.Peek(AllHosts) < PerMinute && _counters.Hit(host.ToLowerInvariant(), PerHostPerMinute).Allowed && _counters.Hit(AllHosts, PerMinute).Allowed;
    }
}
