using System.Globalization;
using System.Net;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Federation;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Polls;

/// <summary>
/// Poll counts and votes in the <c>statuses</c> table, keyed by the status id (which is the poll's id on the API): the
/// tally row and one row per voter share a partition, so a vote inserts or replaces its voter row and updates the tally
/// in one entity group transaction, both conditional (ETag): a vote is counted once per voter and option, and
/// concurrent votes never lose a count (a loser re-reads and retries). Two index partitions serve the timer: polls by
/// end time (<see cref="StorageKeys.PollEnd"/>) and local polls whose counts are due to go out (<see cref="StorageKeys.PollUpdate"/>).
/// Storage: 1 transaction per call unless stated. Pages read tallies and a viewer's choices through
/// <see cref="GetTallyRecentAsync"/> and <see cref="GetChoicesRecentAsync"/>: kept per process for <see cref="RecentLifetime"/>,
/// forgotten when this process writes them (votes elsewhere show within it).
/// </summary>
public sealed class PollStore(FediTables tables, TimeProvider? time = null)
{
    /// <summary>How long a page may show a poll's counts (and a viewer's choices) read earlier.</summary>
    public static readonly TimeSpan RecentLifetime = TimeSpan.FromSeconds(10);

    /// <summary>Tallies kept per process (a few hundred bytes each: about 2 MB); as many viewers' choices.</summary>
    public const int RecentCapacity = 5_000;

    private readonly ExpiringCache<PollTally?> _tallies = new(RecentLifetime, RecentCapacity, time ?? TimeProvider.System);

    private readonly ExpiringCache<IReadOnlyList<int>?> _choices = new(RecentLifetime, RecentCapacity, time ?? TimeProvider.System);

    /// <summary>The poll's tally for a page: free when read at most <see cref="RecentLifetime"/> ago in this process, else 1 read.</summary>
    public Task<PollTally?> GetTallyRecentAsync(string statusId, CancellationToken cancellationToken) =>
        _tallies.GetOrLoadAsync(statusId, async () => (await GetAsync(statusId, cancellationToken))?.Tally);

    /// <summary>The voter's choices for a page (null: no vote), as <see cref="GetTallyRecentAsync"/>.</summary>
    public Task<IReadOnlyList<int>?> GetChoicesRecentAsync(string statusId, PollVoter voter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(voter);
        return _choices.GetOrLoadAsync(statusId + "|" + voter.AccountId + "|" + voter.ActorId, async () => (await GetChoicesAsync(statusId, voter, cancellationToken))?.Choices);
    }

    /// <summary>
    /// The tally of a new poll (all zero, or a remote poll's counts) unless it exists (a repeated placement keeps the
    /// votes) and, when it ends, its end row: 2 writes (1 without an end).
    /// </summary>
    public async Task AddAsync(string statusId, Poll poll, PollTally? tally, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(poll);
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        try
        {
            await table.AddEntityAsync(ToEntity(statusId, tally ?? PollTally.Empty(poll.Options.Count)), cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            // Placed before: the votes since stay.
        }

        _tallies.Remove(statusId);

        if (poll.ExpiresAt is { } end)
        {
            var (pk, rk) = StorageKeys.PollEnd(end, statusId);
            await table.UpsertEntityAsync(new TableEntity(pk, rk) { ["StatusId"] = statusId }, TableUpdateMode.Replace, cancellationToken);
        }
    }

    public async Task<(PollTally Tally, ETag ETag)?> GetAsync(string statusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.PollTally(statusId);
        var row = await table.GetEntityIfExistsAsync<PollTallyEntity>(pk, rk, cancellationToken: cancellationToken);
        return row.HasValue ? (FromEntity(row.Value!), row.Value!.ETag) : null;
    }

    /// <summary>The tallies of several polls (1 point read each, in parallel); a poll without a row is left out.</summary>
    public async Task<Dictionary<string, PollTally>> GetManyAsync(IReadOnlyCollection<string> statusIds, CancellationToken cancellationToken)
    {
        var found = await Task.WhenAll(statusIds.Select(async id => (Id: id, Row: await GetAsync(id, cancellationToken))));
        return found.Where(f => f.Row is not null).ToDictionary(f => f.Id, f => f.Row!.Value.Tally, StringComparer.Ordinal);
    }

    /// <summary>The options <paramref name="voter"/> chose in the poll and the row's ETag, or null when it has not voted.</summary>
    public async Task<(IReadOnlyList<int> Choices, ETag ETag)?> GetChoicesAsync(string statusId, PollVoter voter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(voter);
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.PollVoter(statusId, voter.AccountId, voter.ActorId);
        var row = await table.GetEntityIfExistsAsync<PollVoterEntity>(pk, rk, cancellationToken: cancellationToken);
        return row.HasValue ? (ParseList(row.Value!.Choices).Select(c => (int)c).ToList(), row.Value.ETag) : null;
    }

    /// <summary>
    /// Records <paramref name="choices"/> (all the voter's choices, the earlier included) and <paramref name="tally"/> in
    /// one transaction, provided neither row changed since read (<paramref name="voterETag"/> null: the voter had no row).
    /// False when one did: re-read and retry. Storage: 1 entity group transaction of 2 entities.
    /// </summary>
    public async Task<bool> TryRecordAsync(string statusId, PollVoter voter, string? inbox, IReadOnlyList<int> choices, ETag? voterETag, PollTally tally, ETag tallyETag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(voter);
        ArgumentNullException.ThrowIfNull(choices);
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.PollVoter(statusId, voter.AccountId, voter.ActorId);
        var row = new PollVoterEntity
        {
            PartitionKey = pk,
            RowKey = rk,
            Choices = string.Join(',', choices.Select(c => c.ToString(CultureInfo.InvariantCulture))),
            AccountId = voter.AccountId,
            ActorId = voter.ActorId,
            Inbox = inbox,
        };
        TableTransactionAction voterAction = voterETag is { } e
            ? new(TableTransactionActionType.UpdateReplace, row, e)
            : new(TableTransactionActionType.Add, row);
        try
        {
            await table.SubmitTransactionAsync([voterAction, new(TableTransactionActionType.UpdateMerge, ToEntity(statusId, tally), tallyETag)], cancellationToken);
            _tallies.Remove(statusId);
            _choices.Remove(statusId + "|" + voter.AccountId + "|" + voter.ActorId);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>A remote poll's counts as its server says (its Question, created or updated); the end-of-poll marks stay. 1 merge.</summary>
    public async Task SetCountsAsync(string statusId, PollTally tally, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tally);
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.PollTally(statusId);
        await table.UpsertEntityAsync(
            new TableEntity(pk, rk) { [nameof(PollTallyEntity.Votes)] = JoinList(tally.Votes), [nameof(PollTallyEntity.VotersCount)] = tally.VotersCount },
            TableUpdateMode.Merge,
            cancellationToken);
        _tallies.Remove(statusId);
    }

    /// <summary>The local accounts that voted in the poll (1 range query over the local voter rows).</summary>
    public async Task<IReadOnlyList<string>> ListLocalVotersAsync(string statusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var pk = StorageKeys.PollPartition(statusId);
        var (from, to) = (StorageKeys.PollLocalVoterPrefix, StorageKeys.PollLocalVoterPrefix[..^1] + (char)('-' + 1));
        var voters = new List<string>();
        await foreach (var row in table.QueryAsync<PollVoterEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey ge {from} and RowKey lt {to}"), select: [nameof(PollVoterEntity.AccountId)], cancellationToken: cancellationToken))
        {
            if (row.AccountId is { } id)
            {
                voters.Add(id);
            }
        }

        return voters;
    }

    /// <summary>The distinct inboxes of the poll's remote voters (1 range query over the voter rows).</summary>
    public async Task<IReadOnlyList<string>> ListRemoteVoterInboxesAsync(string statusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var pk = StorageKeys.PollPartition(statusId);
        var from = StorageKeys.PollVoterPrefix;
        var to = from[..^1] + (char)('-' + 1);
        var inboxes = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<PollVoterEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey ge {from} and RowKey lt {to}"), select: [nameof(PollVoterEntity.Inbox)], cancellationToken: cancellationToken))
        {
            if (row.Inbox is { } inbox)
            {
                inboxes.Add(inbox);
            }
        }

        return [.. inboxes];
    }

    /// <summary>
    /// Claims the end-of-poll work unless the tally changed since read, it is done, or another instance claimed it less
    /// than <paramref name="claimTimeout"/> ago (then null). 1 conditional replace.
    /// </summary>
    public async Task<(PollTally Tally, ETag ETag)?> TryClaimCloseAsync(string statusId, DateTimeOffset now, TimeSpan claimTimeout, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.PollTally(statusId);
        var row = await table.GetEntityIfExistsAsync<PollTallyEntity>(pk, rk, cancellationToken: cancellationToken);
        if (!row.HasValue || row.Value!.ClosedAt is not null || row.Value.CloseClaimedAt is { } claimed && now - claimed < claimTimeout)
        {
            return null;
        }

        var entity = row.Value;
        entity.CloseClaimedAt = now;
        try
        {
            var response = await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
            return (FromEntity(entity), response.Headers.ETag ?? ETag.All);
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The end-of-poll work is done: <c>ClosedAt</c> set (1 merge), then the end row goes (1 delete).</summary>
    public async Task MarkClosedAsync(string statusId, DateTimeOffset endsAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.PollTally(statusId);
        await table.UpsertEntityAsync(new TableEntity(pk, rk) { [nameof(PollTallyEntity.ClosedAt)] = now }, TableUpdateMode.Merge, cancellationToken);
        _tallies.Remove(statusId);
        await DeleteEndAsync(endsAt, statusId, cancellationToken);
    }

    /// <summary>Drops a poll's end row; what is gone already is fine.</summary>
    public async Task DeleteEndAsync(DateTimeOffset endsAt, string statusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.PollEnd(endsAt, statusId);
        await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
    }

    /// <summary>Polls that ended at or before <paramref name="now"/> and are not closed yet, earliest first (1 range query): (status id, end).</summary>
    public async Task<IReadOnlyList<(string StatusId, DateTimeOffset EndsAt)>> ListEndedAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var before = StorageKeys.ScheduledDueBefore(now);
        var ended = new List<(string, DateTimeOffset)>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.PollEndsPartition} and RowKey lt {before}"), maxPerPage: limit, cancellationToken: cancellationToken))
        {
            var ticks = long.Parse(row.RowKey.AsSpan(0, 19), CultureInfo.InvariantCulture);
            ended.Add((row.GetString("StatusId") ?? "", new DateTimeOffset(ticks, TimeSpan.Zero)));
            if (ended.Count >= limit)
            {
                break;
            }
        }

        return ended;
    }

    /// <summary>
    /// Asks for the poll's counts to go out at <paramref name="dueAt"/> unless that is asked already (1 insert, refused
    /// while one is pending): however many votes arrive, one Update per pending row.
    /// </summary>
    public async Task RequestUpdateAsync(string statusId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.PollUpdate(statusId);
        try
        {
            await table.AddEntityAsync(new TableEntity(pk, rk) { ["DueAt"] = dueAt }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            // An Update is pending: it will carry this vote too.
        }
    }

    /// <summary>Polls whose counts are due to go out, with each row's ETag (1 range query over the pending rows).</summary>
    public async Task<IReadOnlyList<(string StatusId, ETag ETag)>> ListDueUpdatesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var due = new List<(string, ETag)>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.PollUpdatesPartition}"), cancellationToken: cancellationToken))
        {
            if (row.GetDateTimeOffset("DueAt") is { } at && at <= now)
            {
                due.Add((row.RowKey, row.ETag));
            }
        }

        return due;
    }

    /// <summary>Takes a pending Update (false when another instance took it first): 1 conditional delete.</summary>
    public async Task<bool> TryTakeUpdateAsync(string statusId, ETag etag, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.StatusesTable, cancellationToken);
        var (pk, rk) = StorageKeys.PollUpdate(statusId);
        try
        {
            await table.DeleteEntityAsync(pk, rk, etag, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static PollTallyEntity ToEntity(string statusId, PollTally tally)
    {
        var (pk, rk) = StorageKeys.PollTally(statusId);
        return new PollTallyEntity { PartitionKey = pk, RowKey = rk, Votes = JoinList(tally.Votes), VotersCount = tally.VotersCount, ClosedAt = tally.ClosedAt };
    }

    private static PollTally FromEntity(PollTallyEntity e) => new() { Votes = ParseList(e.Votes), VotersCount = e.VotersCount, ClosedAt = e.ClosedAt };

    private static string JoinList(IEnumerable<long> values) => string.Join(',', values.Select(v => v.ToString(CultureInfo.InvariantCulture)));

    private static List<long> ParseList(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)];
}
