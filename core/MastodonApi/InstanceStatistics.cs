using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.OAuth;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// The figures behind <c>/api/v1/instance/peers</c> and <c>/api/v1/instance/activity</c>, read with bounded queries
/// and kept per process for <see cref="Lifetime"/> (both change slowly and apps poll them rarely).
/// Peers: the hosts of cached remote actors (a projected scan of the <c>remoteactors</c> actor rows, stopping after
/// <see cref="MaxActorRows"/>) plus the hosts in the delivery-health table. Activity, per week starting Monday 00:00 UTC:
/// statuses = local statuses created that week and not deleted (one PartitionKey-range query over the status rows of the
/// last 12 weeks: status ids are time-ordered snowflakes); registrations = local accounts created that week (the account
/// partition); logins = distinct accounts that obtained an access token that week and still hold it (the per-account
/// token rows; no login events are recorded, revoked tokens are gone).
/// </summary>
public sealed class InstanceStatistics(AccountStore accounts, StatusStore statuses, AccessTokenStore tokens, RemoteActorStore actors, DeliveryHealth delivery, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    /// <summary>Bound on the remote actor rows read for peers (each is a few bytes projected; 1 transaction per 1,000).</summary>
    public const int MaxActorRows = 20_000;

    public const int Weeks = 12;

    private (IReadOnlyList<string> Hosts, DateTimeOffset At)? _peers;
    private (IReadOnlyList<WeekActivity> Weeks, DateTimeOffset At)? _activity;

    /// <summary>Known remote hosts, sorted.</summary>
    public async Task<IReadOnlyList<string>> PeersAsync(CancellationToken cancellationToken)
    {
        if (_peers is { } cached && time.GetUtcNow() - cached.At < Lifetime)
        {
            return cached.Hosts;
        }

        var hosts = new SortedSet<string>(await actors.ListHostsAsync(MaxActorRows, cancellationToken), StringComparer.Ordinal);
        hosts.UnionWith(await delivery.ListHostsAsync(cancellationToken));
        var list = hosts.ToArray();
        _peers = (list, time.GetUtcNow());
        return list;
    }

    /// <summary>The last <see cref="Weeks"/> weeks, the current one first.</summary>
    public async Task<IReadOnlyList<WeekActivity>> ActivityAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_activity is { } cached && now - cached.At < Lifetime)
        {
            return cached.Weeks;
        }

        // Concurrent first requests may each compute it; harmless, and no lock is held across storage calls.
        var weekStarts = Enumerable.Range(0, Weeks).Select(i => WeekStart(now).AddDays(-7 * i)).ToArray();
        var oldest = weekStarts[^1];
        var statusCounts = new long[Weeks];
        var logins = new HashSet<string>[Weeks];
        var registrations = new long[Weeks];
        for (var i = 0; i < Weeks; i++)
        {
            logins[i] = new HashSet<string>(StringComparer.Ordinal);
        }

        int Week(DateTimeOffset at) => at < oldest || at > now ? -1 : (int)((weekStarts[0] - WeekStart(at)).TotalDays / 7);

        var localAccounts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, created) in await accounts.ListCreatedAsync(cancellationToken))
        {
            localAccounts.Add(id);
            if (created is { } at && Week(at) is >= 0 and var w)
            {
                registrations[w]++;
            }
        }

        foreach (var (id, author) in await statuses.ListAuthorsSinceAsync(oldest, cancellationToken))
        {
            if (localAccounts.Contains(author) && Week(Storage.SnowflakeIds.TimeOf(id)) is >= 0 and var w)
            {
                statusCounts[w]++;
            }
        }

        foreach (var (accountId, issued) in await tokens.ListIssuedAsync(cancellationToken))
        {
            if (Week(issued) is >= 0 and var w)
            {
                logins[w].Add(accountId);
            }
        }

        var weeks = weekStarts.Select((start, i) => new WeekActivity(start, statusCounts[i], logins[i].Count, registrations[i])).ToArray();
        _activity = (weeks, now);
        return weeks;
    }

    /// <summary>Monday 00:00 UTC of the week holding <paramref name="at"/> (Mastodon's week).</summary>
    public static DateTimeOffset WeekStart(DateTimeOffset at)
    {
        var day = at.UtcDateTime.Date;
        var sinceMonday = ((int)day.DayOfWeek + 6) % 7;
        return new DateTimeOffset(day.AddDays(-sinceMonday), TimeSpan.Zero);
    }
}
