using System.Collections.Concurrent;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// Which actors local accounts follow, so that a boost by an actor nobody here follows (most boosts of a local post) is
/// not looked up (issue 17: an inbound Announce at most 10 storage transactions). Each process keeps the reverse index's
/// partitions that hold an accepted follow (<see cref="StorageKeys.FollowingOfPartition"/>: SHA-256 of the actor id) for
/// <see cref="Lifetime"/>. Only "nobody here follows" comes from that set; any other answer leads to the exact query
/// (<see cref="FollowingStore.GetLocalFollowersShowingReblogsAsync"/>), so unfollows, blocks and the follow's
/// <c>reblogs</c> apply at once as before. A follow accepted in this process counts at once (<see cref="FollowingStore"/>
/// calls <see cref="Accepted"/> once the reverse index row is stored); one accepted on another instance counts within
/// <see cref="Lifetime"/> (a boost by that actor handled here sooner misses the new follower's home).
/// Storage: 1 range query per <see cref="Lifetime"/> and process (a page per 1,000 accepted follows of local accounts);
/// above <see cref="MaxRows"/> no set is kept and every boost is looked up, for <see cref="TooLargeLifetime"/>.
/// </summary>
public sealed class FollowedActorStore(FediTables tables, TimeProvider time)
{
    /// <summary>How long a follow accepted on another instance may go unseen by this process's set.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    /// <summary>How long a process that found too many follows to keep looks every boost up before it reads them again.</summary>
    public static readonly TimeSpan TooLargeLifetime = TimeSpan.FromHours(1);

    /// <summary>Accepted follows kept at most (about 150 B each: 10,000 are 1.5 MB and 10 pages to read).</summary>
    public const int MaxRows = 10_000;

    private const string SetKey = "followed";

    private readonly ExpiringCache<FollowedSet> _sets = new(TooLargeLifetime, 1, time);

    /// <summary>Partitions of follows accepted in this process since the set was read, with when.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _accepted = new(StringComparer.Ordinal);

    /// <summary>A local account's follow of the actor was accepted in this process (call after its reverse index row is stored).</summary>
    public void Accepted(string actorId) => _accepted[StorageKeys.FollowingOfPartition(actorId)] = time.GetUtcNow();

    /// <summary>
    /// False when no local account follows the actor (accepted) as far as the set knows: free, + 1 range query per
    /// <see cref="Lifetime"/> and process to read the set.
    /// </summary>
    public async Task<bool> MayBeFollowedAsync(string actorId, CancellationToken cancellationToken)
    {
        var partition = StorageKeys.FollowingOfPartition(actorId);
        if (_accepted.ContainsKey(partition))
        {
            return true;
        }

        var set = _sets.TryGet(SetKey, out var kept) && (kept.Partitions is null || _sets.TryGet(SetKey, out _, Lifetime))
            ? kept
            : await _sets.GetOrLoadAsync(SetKey, () => ReadAsync(cancellationToken), fresh: true);
        return set.Partitions is null || set.Partitions.Contains(partition) || _accepted.ContainsKey(partition);
    }

    /// <summary>The partitions with an accepted follow (null above <see cref="MaxRows"/>); forgets the acceptances it has read.</summary>
    private async Task<FollowedSet> ReadAsync(CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var table = await tables.GetAsync(StorageNames.FollowingTable, cancellationToken);
        var (from, to) = StorageKeys.FollowingOfPartitions;
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {from} and PartitionKey lt {to} and State eq {FollowingStore.Accepted}");
        var partitions = new HashSet<string>(StringComparer.Ordinal);
        var rows = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            if (++rows > MaxRows)
            {
                partitions = null;
                break;
            }

            partitions.Add(row.PartitionKey);
        }

        foreach (var accepted in _accepted.Where(a => a.Value < started).ToList())
        {
            _accepted.TryRemove(accepted);
        }

        return new FollowedSet(partitions);
    }

    private sealed record FollowedSet(HashSet<string>? Partitions);
}
