using Azure.Data.Tables;
using ServerlessFedi.Storage;

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
public sealed class InstanceStatistics(FediTables tables, TimeProvider time)
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

        var hosts = new SortedSet<string>(StringComparer.Ordinal);
        var actors = await tables.GetAsync(StorageNames.RemoteActorsTable, cancellationToken);
        var read = 0;
        await foreach (var row in actors.QueryAsync<TableEntity>("RowKey eq 'actor'", select: ["ActorId"], cancellationToken: cancellationToken))
        {
            if (Uri.TryCreate(row.GetString("ActorId"), UriKind.Absolute, out var id))
            {
                hosts.Add(id.IdnHost.ToLowerInvariant());
            }

            if (++read >= MaxActorRows)
            {
                break;
            }
        }

        var delivery = await tables.GetAsync(StorageNames.DeliveryTable, cancellationToken);
        await foreach (var row in delivery.QueryAsync<TableEntity>("PartitionKey eq 'domain'", select: ["Host"], cancellationToken: cancellationToken))
        {
            if (row.GetString("Host") is { Length: > 0 } host)
            {
                hosts.Add(host.ToLowerInvariant());
            }
        }

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
        var statuses = new long[Weeks];
        var logins = new HashSet<string>[Weeks];
        var registrations = new long[Weeks];
        for (var i = 0; i < Weeks; i++)
        {
            logins[i] = new HashSet<string>(StringComparer.Ordinal);
        }

        int Week(DateTimeOffset at) => at < oldest || at > now ? -1 : (int)((weekStarts[0] - WeekStart(at)).TotalDays / 7);

        var localAccounts = new HashSet<string>(StringComparer.Ordinal);
        var accounts = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        await foreach (var row in accounts.QueryAsync<TableEntity>($"PartitionKey eq '{StorageKeys.AccountPartition}'", select: ["RowKey", "CreatedAt"], cancellationToken: cancellationToken))
        {
            localAccounts.Add(row.RowKey);
            if (row.GetDateTimeOffset("CreatedAt") is { } created && Week(created) is >= 0 and var w)
            {
                registrations[w]++;
            }
        }

        // Status rows: PK the status id (18 digits, time-ordered), RK 'status'. Other partitions start with a letter.
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var filter = $"PartitionKey ge '{SnowflakeIds.AtTime(oldest)}' and PartitionKey lt 'a' and RowKey eq 'status'";
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "AccountId", "DeletedAt"], cancellationToken: cancellationToken))
        {
            if (row.GetDateTimeOffset("DeletedAt") is null && row.GetString("AccountId") is { } author && localAccounts.Contains(author)
                && SnowflakeIds.IsValid(row.PartitionKey) && Week(SnowflakeIds.TimeOf(row.PartitionKey)) is >= 0 and var w)
            {
                statuses[w]++;
            }
        }

        // Per-account token rows: PK 'acct-{accountId}', RK token hash, with the issue time.
        var oauth = await tables.GetAsync(StorageNames.OAuthTable, cancellationToken);
        await foreach (var row in oauth.QueryAsync<TableEntity>("PartitionKey ge 'acct-' and PartitionKey lt 'acct.'", select: ["PartitionKey", "CreatedAt"], cancellationToken: cancellationToken))
        {
            if (row.GetDateTimeOffset("CreatedAt") is { } issued && Week(issued) is >= 0 and var w)
            {
                logins[w].Add(row.PartitionKey);
            }
        }

        var weeks = weekStarts.Select((start, i) => new WeekActivity(start, statuses[i], logins[i].Count, registrations[i])).ToArray();
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
