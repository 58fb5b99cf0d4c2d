using System.Net;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Crypto;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Accounts;

/// <summary>
/// Local accounts' rows in the <c>accounts</c> table with their username and e-mail index, their counters and their
/// deletion. Storage transactions: create 3 writes (username index, e-mail index, account; +2 reads and 1 write to take
/// over an orphaned index row); by id 1 read; by username or e-mail 2 reads (index, account). Profile columns:
/// <see cref="AccountProfileStore"/>; reads over every account: <see cref="AccountListingStore"/>; the instance actor:
/// <see cref="InstanceActorStore"/>.
/// Pages and the read scopes' viewer read through <see cref="GetByIdRecentAsync"/>: rows kept per process for
/// <see cref="RecentLifetime"/>, forgotten when this process writes them (here and in <see cref="AccountProfileStore"/>).
/// </summary>
public sealed class AccountStore(FediTables tables, SnowflakeIds ids, TimeProvider time)
{
    /// <summary>How long a page may show an account row read earlier: a profile changed on another instance shows within it.</summary>
    public static readonly TimeSpan RecentLifetime = TimeSpan.FromSeconds(30);

    /// <summary>Accounts kept per process (about 2-3 KB each with keys and profile: at most about 15 MB), and as many username index entries (about 100 B each).</summary>
    public const int RecentCapacity = 5_000;

    private readonly Federation.ExpiringCache<LocalAccount?> _recent = new(RecentLifetime, RecentCapacity, time);

    private readonly Federation.ExpiringCache<string?> _usernames = new(RecentLifetime, RecentCapacity, time);

    public async Task<CreateAccountResult> CreateAsync(NewAccount request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new[]
        {
            AccountRules.CheckUsername(request.Username),
            AccountRules.CheckPassword(request.Password, request.Username),
            AccountRules.CheckEmail(request.Email),
            AccountRules.CheckDisplayName(request.DisplayName),
        }.OfType<string>().ToArray();
        if (errors.Length > 0)
        {
            return CreateAccountResult.Refused(errors);
        }

        // The slow parts (RSA key generation, Argon2id) happen before any claim, so a claim is held only for a few writes.
        var keys = ActorKeys.Generate();
        var account = new LocalAccount
        {
            Id = ids.Next(),
            Username = request.Username,
            DisplayName = request.DisplayName?.Trim() ?? "",
            Email = string.IsNullOrEmpty(request.Email) ? null : request.Email.Trim(),
            ActorType = request.ActorType,
            Locked = request.Locked,
            PasswordHash = PasswordHasher.Hash(request.Password),
            CreatedAt = time.GetUtcNow(),
            RsaPrivateKeyPem = keys.RsaPrivateKeyPem,
            RsaPublicKeyPem = keys.RsaPublicKeyPem,
            Ed25519PrivateKey = keys.Ed25519PrivateKey,
            Ed25519PublicKey = keys.Ed25519PublicKey,
        };

        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);

        // The index insert is the uniqueness check. A row whose account was never written (a crash between the
        // writes) is taken over once it is older than OrphanGracePeriod, never while its creation may still be running.
        var usernameKey = StorageKeys.Username(request.Username);
        var usernameClaim = await ClaimIndexAsync(table, usernameKey, account.Id, cancellationToken);
        if (usernameClaim is null)
        {
            return CreateAccountResult.Refused($"username '{request.Username}' is already taken");
        }

        var claims = new List<((string Pk, string Rk) Key, ETag ETag)> { (usernameKey, usernameClaim.Value) };
        if (account.Email is not null)
        {
            var emailKey = StorageKeys.Email(account.Email);
            var emailClaim = await ClaimIndexAsync(table, emailKey, account.Id, cancellationToken);
            if (emailClaim is null)
            {
                await table.DeleteEntityAsync(usernameKey.Pk, usernameKey.Rk, usernameClaim.Value, cancellationToken);
                return CreateAccountResult.Refused($"e-mail '{request.Email}' is already in use");
            }

            claims.Add((emailKey, emailClaim.Value));
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await table.AddEntityAsync(AccountEntity.From(account), cancellationToken);
                return new CreateAccountResult(account, []);
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict && attempt < 3)
            {
                // Another process drew the same snowflake id in the same millisecond: take a new id and repoint our claims.
                account = account with { Id = ids.Next() };
                for (var i = 0; i < claims.Count; i++)
                {
                    var (key, etag) = claims[i];
                    var repointed = new AccountIndexEntity { PartitionKey = key.Pk, RowKey = key.Rk, AccountId = account.Id, ClaimedAt = time.GetUtcNow() };
                    var response = await table.UpdateEntityAsync(repointed, etag, TableUpdateMode.Replace, cancellationToken);
                    claims[i] = (key, response.Headers.ETag ?? ETag.All);
                }
            }
        }
    }

    /// <summary>The live account; null when unknown or deleted (a deleted account is gone for every caller but deletion and delivery).</summary>
    public async Task<LocalAccount?> GetByIdAsync(string id, CancellationToken cancellationToken = default) =>
        await GetByIdIncludingDeletedAsync(id, cancellationToken) is { DeletedAt: null } account ? account : null;

    /// <summary>
    /// As <see cref="GetByIdAsync"/> for rendering and read-only requests: a row read at most <see cref="RecentLifetime"/>
    /// ago in this process costs nothing, else 1 read. Never for read-modify-write.
    /// </summary>
    public async Task<LocalAccount?> GetByIdRecentAsync(string id, CancellationToken cancellationToken = default) =>
        await _recent.GetOrLoadAsync(id, () => GetByIdIncludingDeletedAsync(id, cancellationToken)) is { DeletedAt: null } account ? account : null;

    /// <summary>As <see cref="GetByUsernameAsync"/>, both reads (index, account) as in <see cref="GetByIdRecentAsync"/>.</summary>
    public async Task<LocalAccount?> GetByUsernameRecentAsync(string username, CancellationToken cancellationToken = default)
    {
        if (AccountRules.CheckUsername(username) is not null)
        {
            return null;
        }

        return await UsernameIndexAsync(username, missingAfresh: false, cancellationToken) is { } id ? await GetByIdRecentAsync(id, cancellationToken) : null;
    }

    /// <summary>
    /// The live account by username, its row read afresh (deleted, suspended or locked as stored now) and the username's
    /// index from the process's copy when it names an account: an index row never changes once written (usernames stay
    /// reserved), so only a missing one is read again. 1 read (+ 1 for the index the first time in a process).
    /// </summary>
    public async Task<LocalAccount?> GetByUsernameFreshAsync(string username, CancellationToken cancellationToken = default)
    {
        if (AccountRules.CheckUsername(username) is not null)
        {
            return null;
        }

        return await UsernameIndexAsync(username, missingAfresh: true, cancellationToken) is { } id ? await GetByIdAsync(id, cancellationToken) : null;
    }

    /// <summary>
    /// The account id the username's index row names, from the process's copy (<see cref="RecentLifetime"/>); with
    /// <paramref name="missingAfresh"/> a copy that names no account is read again. 1 point read when not kept.
    /// </summary>
    private async Task<string?> UsernameIndexAsync(string username, bool missingAfresh, CancellationToken cancellationToken)
    {
        var key = username.ToLowerInvariant();
        var fresh = missingAfresh && !(_usernames.TryGet(key, out var known) && known is not null);
        return await _usernames.GetOrLoadAsync(key, async () =>
        {
            var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
            var (pk, rk) = StorageKeys.Username(username);
            var index = await table.GetEntityIfExistsAsync<AccountIndexEntity>(pk, rk, cancellationToken: cancellationToken);
            return index.HasValue ? index.Value!.AccountId : null;
        }, fresh);
    }

    /// <summary>Drops the process's copy of the account row (it was written here).</summary>
    public void Forget(string accountId) => _recent.Remove(accountId);

    /// <summary>Makes <paramref name="account"/> the process's copy: a row this process just wrote, as storage now holds it (its ETag).</summary>
    public void Remember(LocalAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        _recent.Remove(account.Id); // a read in flight began before the write: it must not be kept
        _recent.Set(account.Id, account);
    }

    /// <summary>
    /// Keeps <paramref name="account"/>, a row just read (the bearer's, <see cref="OAuth.AccessTokenStore.FindWithAccountAsync"/>),
    /// as the process's copy unless one is held: a held copy may come from a write in this process after that read began.
    /// </summary>
    public void RememberRead(LocalAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        _recent.SetUnlessHeld(account.Id, account);
    }

    /// <summary>The live account by username; null when unknown or deleted.</summary>
    public async Task<LocalAccount?> GetByUsernameAsync(string username, CancellationToken cancellationToken = default) =>
        await GetByUsernameIncludingDeletedAsync(username, cancellationToken) is { DeletedAt: null } account ? account : null;

    /// <summary>The account row even when deleted (check <see cref="LocalAccount.DeletedAt"/>): 1 read.</summary>
    public async Task<LocalAccount?> GetByIdIncludingDeletedAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!SnowflakeIds.IsValid(id))
        {
            return null;
        }

        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var (pk, rk) = StorageKeys.Account(id);
        var row = await table.GetEntityIfExistsAsync<AccountEntity>(pk, rk, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.ToAccount() : null;
    }

    /// <summary>The account row by username even when deleted (check <see cref="LocalAccount.DeletedAt"/>): 2 reads.</summary>
    public async Task<LocalAccount?> GetByUsernameIncludingDeletedAsync(string username, CancellationToken cancellationToken = default)
    {
        if (AccountRules.CheckUsername(username) is not null)
        {
            return null;
        }

        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var (pk, rk) = StorageKeys.Username(username);
        var index = await table.GetEntityIfExistsAsync<AccountIndexEntity>(pk, rk, cancellationToken: cancellationToken);
        return index.HasValue ? await GetByIdIncludingDeletedAsync(index.Value!.AccountId, cancellationToken) : null;
    }

    public async Task<LocalAccount?> GetByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var (pk, rk) = StorageKeys.Email(email);
        var index = await table.GetEntityIfExistsAsync<AccountIndexEntity>(pk, rk, cancellationToken: cancellationToken);
        return index.HasValue && index.Value!.Staff is null ? await GetByIdAsync(index.Value.AccountId, cancellationToken) : null;
    }

    /// <summary>
    /// Marks the account deleted: from now on it is gone for every lookup but <see cref="GetByIdIncludingDeletedAsync"/>,
    /// cannot log in (password hash cleared) and its profile is blanked; the row, the username index (so the name is never
    /// given again) and the keys stay. The e-mail index is released. Idempotent; storage: 1 merge + 1 delete.
    /// </summary>
    public async Task MarkDeletedAsync(LocalAccount account, DateTimeOffset deletedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var (pk, rk) = StorageKeys.Account(account.Id);
        await table.UpdateEntityAsync(new TableEntity(pk, rk)
        {
            [nameof(AccountEntity.DeletedAt)] = account.DeletedAt ?? deletedAt,
            [nameof(AccountEntity.PasswordHash)] = "",
            [nameof(AccountEntity.DisplayName)] = "",
            [nameof(AccountEntity.Note)] = "",
            [nameof(AccountEntity.NoteText)] = "",
            [nameof(AccountEntity.Fields)] = "[]",
            [nameof(AccountEntity.Discoverable)] = false,
            [nameof(AccountEntity.Indexable)] = false,
        }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        Forget(account.Id);
        if (account.Email is { Length: > 0 } email)
        {
            var (epk, erk) = StorageKeys.Email(email);
            var index = await table.GetEntityIfExistsAsync<AccountIndexEntity>(epk, erk, cancellationToken: cancellationToken);
            if (index.HasValue && index.Value!.AccountId == account.Id)
            {
                await table.DeleteEntityAsync(epk, erk, index.Value.ETag, cancellationToken);
            }
        }
    }

    /// <summary>The deletion's removal finished: counters zeroed, avatar and header names dropped. Storage: 1 merge.</summary>
    public async Task MarkPurgedAsync(string accountId, DateTimeOffset purgedAt, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var (pk, rk) = StorageKeys.Account(accountId);
        await table.UpdateEntityAsync(new TableEntity(pk, rk)
        {
            [nameof(AccountEntity.PurgedAt)] = purgedAt,
            [nameof(AccountEntity.StatusesCount)] = 0L,
            [nameof(AccountEntity.FollowersCount)] = 0L,
            [nameof(AccountEntity.FollowingCount)] = 0L,
            [nameof(AccountEntity.AvatarBlob)] = "",
            [nameof(AccountEntity.HeaderBlob)] = "",
        }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        Forget(accountId);
    }

    /// <summary>
    /// Adds to the account's counters with optimistic concurrency (read, merge with If-Match, retry on 412), so concurrent
    /// queue functions never lose an increment. Counts never go below zero. Storage: 1 read + 1 merge (+2 per lost race, after a jittered pause).
    /// </summary>
    public Task AdjustCountersAsync(string accountId, long followers = 0, long following = 0, long statuses = 0, DateTimeOffset? lastStatusAt = null, CancellationToken cancellationToken = default) =>
        AdjustCountersAsync(accountId, null, followers, following, statuses, lastStatusAt, cancellationToken);

    /// <summary>
    /// As <see cref="AdjustCountersAsync(string, long, long, long, DateTimeOffset?, CancellationToken)"/> for an account this
    /// request read from storage (an authenticated write reads it fresh): the first merge goes on that row's counters and
    /// ETag without reading it again. Storage: 1 merge; + 1 read and 1 merge when the row changed since it was read.
    /// </summary>
    public Task AdjustCountersAsync(LocalAccount read, long statuses, DateTimeOffset? lastStatusAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        return AdjustCountersAsync(read.Id, read, 0, 0, statuses, lastStatusAt, cancellationToken);
    }

    private async Task AdjustCountersAsync(string accountId, LocalAccount? read, long followers, long following, long statuses, DateTimeOffset? lastStatusAt, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var (pk, rk) = StorageKeys.Account(accountId);
        for (var attempt = 0; ; attempt++)
        {
            (long Followers, long Following, long Statuses, ETag ETag) current;
            if (attempt == 0 && read is { ETag: { } known })
            {
                current = (read.FollowersCount, read.FollowingCount, read.StatusesCount, known);
            }
            else
            {
                var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk,
                    select: [nameof(AccountEntity.FollowersCount), nameof(AccountEntity.FollowingCount), nameof(AccountEntity.StatusesCount)], cancellationToken: cancellationToken);
                if (!row.HasValue)
                {
                    return;
                }

                var r = row.Value!;
                current = (r.GetInt64(nameof(AccountEntity.FollowersCount)) ?? 0, r.GetInt64(nameof(AccountEntity.FollowingCount)) ?? 0, r.GetInt64(nameof(AccountEntity.StatusesCount)) ?? 0, r.ETag);
            }

            var update = new TableEntity(pk, rk)
            {
                [nameof(AccountEntity.FollowersCount)] = Math.Max(0, current.Followers + followers),
                [nameof(AccountEntity.FollowingCount)] = Math.Max(0, current.Following + following),
                [nameof(AccountEntity.StatusesCount)] = Math.Max(0, current.Statuses + statuses),
            };
            if (lastStatusAt is { } last)
            {
                update[nameof(AccountEntity.LastStatusAt)] = last;
            }

            try
            {
                await table.UpdateEntityAsync(update, current.ETag, TableUpdateMode.Merge, cancellationToken);
                Forget(accountId);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed && attempt == 0 && read?.ETag is not null)
            {
                // The row changed since this request read it: read it now.
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed && attempt < 20)
            {
                // Another writer got there first: read again after a jittered pause that grows with the attempts, so
                // concurrent writers spread out instead of all re-reading at once (wall-clock pacing, not product time).
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 4 << Math.Min(attempt, 6))), cancellationToken);
            }
        }
    }

    /// <summary>How long an index row without its account is protected, as an account creation may still be under way.</summary>
    internal static readonly TimeSpan OrphanGracePeriod = TimeSpan.FromMinutes(5);

    /// <summary>Inserts the index row for <paramref name="accountId"/>; its ETag on success, null when the value belongs to another account.</summary>
    private async Task<ETag?> ClaimIndexAsync(TableClient table, (string Pk, string Rk) key, string accountId, CancellationToken cancellationToken)
    {
        var entity = new AccountIndexEntity { PartitionKey = key.Pk, RowKey = key.Rk, AccountId = accountId, ClaimedAt = time.GetUtcNow() };
        try
        {
            var added = await table.AddEntityAsync(entity, cancellationToken);
            return added.Headers.ETag ?? ETag.All;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            var current = await table.GetEntityIfExistsAsync<AccountIndexEntity>(key.Pk, key.Rk, cancellationToken: cancellationToken);
            if (!current.HasValue)
            {
                return await ClaimIndexAsync(table, key, accountId, cancellationToken);
            }

            var claimedAt = current.Value!.ClaimedAt ?? current.Value.Timestamp ?? DateTimeOffset.MinValue;
            if (time.GetUtcNow() - claimedAt < OrphanGracePeriod)
            {
                return null;
            }

            var (pk, rk) = StorageKeys.Account(current.Value.AccountId);
            var owner = await table.GetEntityIfExistsAsync<AccountEntity>(pk, rk, select: ["RowKey"], cancellationToken: cancellationToken);
            if (owner.HasValue)
            {
                return null;
            }

            try
            {
                var replaced = await table.UpdateEntityAsync(entity, current.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                return replaced.Headers.ETag ?? ETag.All;
            }
            catch (RequestFailedException race) when (race.Status == (int)HttpStatusCode.PreconditionFailed)
            {
                return null;
            }
        }
    }
}
