using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// Cache of remote actors with keyId, account-id and handle indexes. Storage: get by actor id 1 point read; by keyId,
/// account id or handle 2 point reads; put 2-4 upserts (actor, account-id index, one index row per key), an actor first
/// met the same with an insert for the actor's upsert (<see cref="PutUnlessDeletedAsync"/>); a handle 1 upsert.
/// Pages read through <see cref="GetRecentAsync"/> and <see cref="GetByAccountIdRecentAsync"/>: rows kept per process for
/// <see cref="RecentLifetime"/>, replaced by what this process writes for the actor.
/// </summary>
public sealed class RemoteActorStore(FediTables tables, TimeProvider? time = null)
{
    /// <summary>How long a page may show an actor row read earlier (a refresh by another instance shows within it).</summary>
    public static readonly TimeSpan RecentLifetime = TimeSpan.FromSeconds(30);

    /// <summary>Actors kept per process (about 2-4 KB each with keys: at most about 20 MB); as many account-id index entries (about 200 B each).</summary>
    public const int RecentCapacity = 5_000;

    private readonly ExpiringCache<RemoteActor?> _recent = new(RecentLifetime, RecentCapacity, time ?? TimeProvider.System);

    private readonly ExpiringCache<string?> _accountIds = new(RecentLifetime, RecentCapacity, time ?? TimeProvider.System);

    private readonly ExpiringCache<string?> _keyIds = new(RecentLifetime, RecentCapacity, time ?? TimeProvider.System);

    /// <summary>As <see cref="GetAsync"/> for rendering: free when read at most <see cref="RecentLifetime"/> ago in this process.</summary>
    public Task<RemoteActor?> GetRecentAsync(string actorId, CancellationToken cancellationToken) =>
        _recent.GetOrLoadAsync(actorId, () => GetAsync(actorId, cancellationToken));

    /// <summary>As <see cref="GetByAccountIdAsync"/> for rendering: both reads (index, actor) as in <see cref="GetRecentAsync"/>.</summary>
    public async Task<RemoteActor?> GetByAccountIdRecentAsync(string accountId, CancellationToken cancellationToken)
    {
        if (!RemoteAccountIds.IsRemote(accountId))
        {
            return null;
        }

        var actorId = await _accountIds.GetOrLoadAsync(accountId, async () =>
        {
            var table = await tables.GetAsync(StorageNames.RemoteActorsTable, cancellationToken);
            var (pk, rk) = StorageKeys.RemoteAccountId(accountId);
            var index = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
            return index.HasValue ? index.Value!.GetString("ActorId") : null;
        });
        return actorId is null ? null : await GetRecentAsync(actorId, cancellationToken);
    }

    /// <summary>
    /// As <see cref="GetByKeyIdAsync"/> for verifying a signature: both reads (index, actor) free when made at most
    /// <see cref="RecentLifetime"/> ago in this process (an actor's Delete or key change applied by another instance
    /// shows within it; a signature that fails with the key asks the resolver to fetch it afresh anyway).
    /// </summary>
    public async Task<RemoteActor?> GetByKeyIdRecentAsync(string keyId, CancellationToken cancellationToken)
    {
        var actorId = await _keyIds.GetOrLoadAsync(keyId, async () =>
        {
            var table = await tables.GetAsync(StorageNames.RemoteActorsTable, cancellationToken);
            var (pk, rk) = StorageKeys.RemoteKey(keyId);
            var index = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
            return index.HasValue ? index.Value!.GetString("ActorId") : null;
        });
        var actor = actorId is null ? null : await GetRecentAsync(actorId, cancellationToken);
        return actor is not null && actor.OwnsKey(keyId) ? actor : null;
    }

    public async Task<RemoteActor?> GetAsync(string actorId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.RemoteActorsTable, cancellationToken);
        var (pk, rk) = StorageKeys.RemoteActor(actorId);
        var row = await table.GetEntityIfExistsAsync<RemoteActorEntity>(pk, rk, cancellationToken: cancellationToken);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    /// <summary>The cached actor with this Mastodon API account id (see <see cref="RemoteAccountIds"/>); 2 point reads.</summary>
    public async Task<RemoteActor?> GetByAccountIdAsync(string accountId, CancellationToken cancellationToken)
    {
        if (!RemoteAccountIds.IsRemote(accountId))
        {
            return null;
        }

        var table = await tables.GetAsync(StorageNames.RemoteActorsTable, cancellationToken);
        var (pk, rk) = StorageKeys.RemoteAccountId(accountId);
        var index = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        return index.HasValue && index.Value!.GetString("ActorId") is { } actorId ? await GetAsync(actorId, cancellationToken) : null;
    }

    /// <summary>
    /// The cached actor that owns <paramref name="keyId"/> (<see cref="RemoteActor.OwnsKey"/>); null when none does, also when
    /// the index row names an actor whose document no longer lists the key, or one that claimed a key of another origin
    /// (rows written before that was refused). 2 point reads.
    /// </summary>
    public async Task<RemoteActor?> GetByKeyIdAsync(string keyId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.RemoteActorsTable, cancellationToken);
        var (pk, rk) = StorageKeys.RemoteKey(keyId);
        var index = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        var actor = index.HasValue && index.Value!.GetString("ActorId") is { } actorId ? await GetAsync(actorId, cancellationToken) : null;
        return actor is not null && actor.OwnsKey(keyId) ? actor : null;
    }

    public async Task PutAsync(RemoteActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var table = await tables.GetAsync(StorageNames.RemoteActorsTable, cancellationToken);
        await table.UpsertEntityAsync(EntityOf(actor), TableUpdateMode.Replace, cancellationToken);
        await StoredAsync(table, actor, cancellationToken);
    }

    /// <summary>
    /// Stores a fetched actor unless it deleted itself (its row is marked deleted: false then, nothing written). When the
    /// caller found no row for it (<paramref name="firstMet"/>), the row is inserted without a read (1 insert + the
    /// indexes as in <see cref="PutAsync"/>; a row there after all is then read as below); else 1 read + <see cref="PutAsync"/>.
    /// </summary>
    public async Task<bool> PutUnlessDeletedAsync(RemoteActor actor, bool firstMet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (firstMet)
        {
            var table = await tables.GetAsync(StorageNames.RemoteActorsTable, cancellationToken);
            try
            {
                await table.AddEntityAsync(EntityOf(actor), cancellationToken);
                await StoredAsync(table, actor, cancellationToken);
                return true;
            }
            catch (Azure.RequestFailedException ex) when (ex.Status == 409)
            {
                // Stored meanwhile (or met through another key): read it as for a known actor.
            }
        }

        if ((await GetAsync(actor.Id, cancellationToken))?.DeletedAt is not null)
        {
            return false;
        }

        await PutAsync(actor, cancellationToken);
        return true;
    }

    /// <summary>After the actor row is written: the per-process copies and the account-id and key indexes.</summary>
    private async Task StoredAsync(TableClient table, RemoteActor actor, CancellationToken cancellationToken)
    {
        _recent.Remove(actor.Id); // a read in flight began before this write: it must not be kept
        _recent.Set(actor.Id, actor); // what was just stored (an inbound activity's receive stores its actor; the inbox function reads it)
        var (ipk, irk) = StorageKeys.RemoteAccountId(actor.AccountId);
        await table.UpsertEntityAsync(new TableEntity(ipk, irk) { ["ActorId"] = actor.Id }, TableUpdateMode.Replace, cancellationToken);
        _accountIds.Remove(actor.AccountId);
        foreach (var keyId in new[] { actor.KeyId, actor.Ed25519KeyId }.OfType<string>().Where(actor.OwnsKey))
        {
            var (kpk, krk) = StorageKeys.RemoteKey(keyId);
            await table.UpsertEntityAsync(new TableEntity(kpk, krk) { ["ActorId"] = actor.Id }, TableUpdateMode.Replace, cancellationToken);
            _keyIds.Remove(keyId);
        }
    }

    private static RemoteActorEntity EntityOf(RemoteActor actor)
    {
        var (pk, rk) = StorageKeys.RemoteActor(actor.Id);
        return new RemoteActorEntity
        {
            PartitionKey = pk,
            RowKey = rk,
            ActorId = actor.Id,
            Type = actor.Type,
            PreferredUsername = actor.PreferredUsername,
            Name = actor.Name,
            Inbox = actor.Inbox,
            SharedInbox = actor.SharedInbox,
            Url = actor.Url,
            KeyId = actor.KeyId,
            PublicKeyPem = actor.PublicKeyPem,
            Ed25519KeyId = actor.Ed25519KeyId,
            Ed25519PublicKey = actor.Ed25519PublicKey,
            FetchedAt = actor.FetchedAt,
            Summary = actor.Summary,
            IconUrl = actor.IconUrl,
            ImageUrl = actor.ImageUrl,
            Locked = actor.Locked,
            Published = actor.Published,
            AlsoKnownAs = actor.AlsoKnownAs.Count == 0 ? null : string.Join(' ', actor.AlsoKnownAs),
            AttributionDomains = actor.AttributionDomains.Count == 0 ? null : string.Join(' ', actor.AttributionDomains),
            MovedTo = actor.MovedTo,
            FollowersUrl = actor.FollowersUrl,
            FollowingUrl = actor.FollowingUrl,
            FeaturedUrl = actor.FeaturedUrl,
        };
    }

    /// <summary>Distinct hosts of cached remote actors: a scan of the table, so callers cache the answer.</summary>
    public async Task<int> CountDomainsAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.RemoteActorsTable, cancellationToken);
        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await foreach (var row in table.QueryAsync<RemoteActorEntity>("RowKey eq 'actor'", select: [nameof(RemoteActorEntity.ActorId)], cancellationToken: cancellationToken))
        {
            if (Uri.TryCreate(row.ActorId, UriKind.Absolute, out var id))
            {
                hosts.Add(id.Host);
            }
        }

        return hosts.Count;
    }

    /// <summary>
    /// Marks the cached actor deleted (its own Delete arrived): the resolver then neither returns it nor refetches it, so its
    /// keys no longer verify anything. Nothing to mark when the actor was never cached (then no key of it verifies either).
    /// Storage: 1 merge.
    /// </summary>
    public Task MarkDeletedAsync(string actorId, DateTimeOffset deletedAt, CancellationToken cancellationToken) =>
        MergeIfCachedAsync(actorId, nameof(RemoteActorEntity.DeletedAt), deletedAt, cancellationToken);

    /// <summary>
    /// Records that the cached actor moved to <paramref name="targetActorId"/> (its accepted <c>Move</c>; a later refresh
    /// takes the document's own <c>movedTo</c>). Storage: 1 merge; nothing when the actor is not cached.
    /// </summary>
    public Task SetMovedToAsync(string actorId, string targetActorId, CancellationToken cancellationToken) =>
        MergeIfCachedAsync(actorId, nameof(RemoteActorEntity.MovedTo), targetActorId, cancellationToken);

    private async Task MergeIfCachedAsync(string actorId, string column, object value, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.RemoteActorsTable, cancellationToken);
        var (pk, rk) = StorageKeys.RemoteActor(actorId);
        try
        {
            await table.UpdateEntityAsync(new TableEntity(pk, rk) { [column] = value }, Azure.ETag.All, TableUpdateMode.Merge, cancellationToken);
            _recent.Remove(actorId);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // Not cached: nothing to mark.
        }
    }

    public async Task DeleteAsync(string actorId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.RemoteActorsTable, cancellationToken);
        var (pk, rk) = StorageKeys.RemoteActor(actorId);
        await table.DeleteEntityAsync(pk, rk, cancellationToken: cancellationToken);
        _recent.Remove(actorId);
    }

    /// <summary>The actor WebFinger last named for <paramref name="acct"/> (<c>user@domain</c>) and when; null when never resolved. 1 point read.</summary>
    public async Task<(string ActorId, DateTimeOffset ResolvedAt)?> GetHandleAsync(string acct, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.RemoteActorsTable, cancellationToken);
        var (pk, rk) = StorageKeys.RemoteHandle(acct);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        return row.HasValue && row.Value!.GetString("ActorId") is { } actorId && row.Value.GetDateTimeOffset("ResolvedAt") is { } at ? (actorId, at) : null;
    }

    /// <summary>Records that WebFinger named <paramref name="actorId"/> for <paramref name="acct"/>. 1 upsert.</summary>
    public async Task PutHandleAsync(string acct, string actorId, DateTimeOffset resolvedAt, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.RemoteActorsTable, cancellationToken);
        var (pk, rk) = StorageKeys.RemoteHandle(acct);
        await table.UpsertEntityAsync(new TableEntity(pk, rk) { ["ActorId"] = actorId, ["ResolvedAt"] = resolvedAt }, TableUpdateMode.Replace, cancellationToken);
    }

    private static RemoteActor FromEntity(RemoteActorEntity e) =>
        new(e.ActorId, e.Type, e.PreferredUsername, e.Name, e.Inbox, e.SharedInbox, e.Url, e.KeyId, e.PublicKeyPem, e.Ed25519KeyId, e.Ed25519PublicKey, e.FetchedAt)
        {
            Summary = e.Summary ?? "",
            IconUrl = e.IconUrl,
            ImageUrl = e.ImageUrl,
            Locked = e.Locked,
            Published = e.Published,
            AlsoKnownAs = e.AlsoKnownAs?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [],
            AttributionDomains = e.AttributionDomains?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [],
            MovedTo = e.MovedTo,
            FollowersUrl = e.FollowersUrl,
            FollowingUrl = e.FollowingUrl,
            FeaturedUrl = e.FeaturedUrl,
            DeletedAt = e.DeletedAt,
        };

    /// <summary>
    /// The lower-cased hosts of cached remote actors, reading at most <paramref name="maxRows"/> actor rows (projected to
    /// the actor id; 1 transaction per 1,000 rows).
    /// </summary>
    public async Task<IReadOnlySet<string>> ListHostsAsync(int maxRows, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.RemoteActorsTable, cancellationToken);
        var hosts = new HashSet<string>(StringComparer.Ordinal);
        var read = 0;
        await foreach (var row in table.QueryAsync<TableEntity>($"RowKey eq '{StorageKeys.RemoteActorRowKey}'", select: ["ActorId"], cancellationToken: cancellationToken))
        {
            if (Uri.TryCreate(row.GetString("ActorId"), UriKind.Absolute, out var id))
            {
                hosts.Add(id.IdnHost.ToLowerInvariant());
            }

            if (++read >= maxRows)
            {
                break;
            }
        }

        return hosts;
    }
}
