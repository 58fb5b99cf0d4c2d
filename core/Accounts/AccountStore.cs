using System.Net;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Crypto;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Accounts;

/// <summary>
/// Local accounts in the <c>accounts</c> table. Storage transactions: create 3 writes (username index, e-mail index,
/// account; +2 reads and 1 write to take over an orphaned index row); by id 1 read; by username 2 reads (index, account); list and count one range query per 1,000 accounts.
/// </summary>
public sealed class AccountStore(FediTables tables, SnowflakeIds ids, TimeProvider time)
{
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
                await table.AddEntityAsync(ToEntity(account), cancellationToken);
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
        return row.HasValue ? FromEntity(row.Value!) : null;
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
        return index.HasValue ? await GetByIdAsync(index.Value!.AccountId, cancellationToken) : null;
    }

    /// <summary>
    /// Changes profile fields; <paramref name="note"/> is plain text and is stored as escaped HTML paragraphs.
    /// Storage: 2 reads + 1 merge.
    /// </summary>
    public async Task<CreateAccountResult> UpdateProfileAsync(string username, string? displayName, string? note, bool? locked, CancellationToken cancellationToken = default)
    {
        var errors = new[] { AccountRules.CheckDisplayName(displayName), note is { Length: > 500 } ? "note is too long: at most 500 characters" : null }.OfType<string>().ToArray();
        if (errors.Length > 0)
        {
            return CreateAccountResult.Refused(errors);
        }

        var account = await GetByUsernameAsync(username, cancellationToken);
        if (account is null)
        {
            return CreateAccountResult.Refused($"no local account '{username}'");
        }

        account = account with
        {
            DisplayName = displayName?.Trim() ?? account.DisplayName,
            Note = note is null ? account.Note : PlainTextToHtml(note),
            Locked = locked ?? account.Locked,
        };
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var (pk, rk) = StorageKeys.Account(account.Id);
        await table.UpdateEntityAsync(new TableEntity(pk, rk)
        {
            [nameof(AccountEntity.DisplayName)] = account.DisplayName,
            [nameof(AccountEntity.Note)] = account.Note,
            [nameof(AccountEntity.Locked)] = account.Locked,
        }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        return new CreateAccountResult(account, []);
    }

    /// <summary>
    /// Writes every profile column of <paramref name="account"/> (what <c>update_credentials</c> changes) in one merge,
    /// leaving keys, password and counters untouched. Storage: 1 merge.
    /// </summary>
    public async Task SaveProfileAsync(LocalAccount account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var (pk, rk) = StorageKeys.Account(account.Id);
        await table.UpdateEntityAsync(new TableEntity(pk, rk)
        {
            [nameof(AccountEntity.DisplayName)] = account.DisplayName,
            [nameof(AccountEntity.Note)] = account.Note,
            [nameof(AccountEntity.NoteText)] = account.NoteText,
            [nameof(AccountEntity.ActorType)] = account.ActorType.ToString(),
            [nameof(AccountEntity.Locked)] = account.Locked,
            [nameof(AccountEntity.Discoverable)] = account.Discoverable,
            [nameof(AccountEntity.Indexable)] = account.Indexable,
            [nameof(AccountEntity.DefaultPrivacy)] = account.DefaultPrivacy,
            [nameof(AccountEntity.DefaultSensitive)] = account.DefaultSensitive,
            [nameof(AccountEntity.DefaultLanguage)] = account.DefaultLanguage,
            [nameof(AccountEntity.AvatarBlob)] = account.AvatarBlob,
            [nameof(AccountEntity.AvatarContentType)] = account.AvatarContentType,
            [nameof(AccountEntity.HeaderBlob)] = account.HeaderBlob,
            [nameof(AccountEntity.HeaderContentType)] = account.HeaderContentType,
            // A null column would be skipped by the merge and keep the old fields: "no fields" is stored as [].
            [nameof(AccountEntity.Fields)] = ProfileField.Serialize(account.Fields) ?? "[]",
        }, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>Escaped text in paragraphs (blank lines) with line breaks, as Mastodon renders a plain-text bio.</summary>
    public static string PlainTextToHtml(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var paragraphs = text.ReplaceLineEndings("\n").Trim().Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Concat(paragraphs.Select(p => "<p>" + string.Join("<br>", p.Split('\n').Select(line => System.Net.WebUtility.HtmlEncode(line))) + "</p>"));
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
    }

    /// <summary>
    /// Adds to the account's counters with optimistic concurrency (read, merge with If-Match, retry on 412), so concurrent
    /// queue functions never lose an increment. Counts never go below zero.
    /// </summary>
    public async Task AdjustCountersAsync(string accountId, long followers = 0, long following = 0, long statuses = 0, DateTimeOffset? lastStatusAt = null, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var (pk, rk) = StorageKeys.Account(accountId);
        for (var attempt = 0; ; attempt++)
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk,
                select: [nameof(AccountEntity.FollowersCount), nameof(AccountEntity.FollowingCount), nameof(AccountEntity.StatusesCount)], cancellationToken: cancellationToken);
            if (!row.HasValue)
            {
                return;
            }

            var current = row.Value!;
            var update = new TableEntity(pk, rk)
            {
                [nameof(AccountEntity.FollowersCount)] = Math.Max(0, (current.GetInt64(nameof(AccountEntity.FollowersCount)) ?? 0) + followers),
                [nameof(AccountEntity.FollowingCount)] = Math.Max(0, (current.GetInt64(nameof(AccountEntity.FollowingCount)) ?? 0) + following),
                [nameof(AccountEntity.StatusesCount)] = Math.Max(0, (current.GetInt64(nameof(AccountEntity.StatusesCount)) ?? 0) + statuses),
            };
            if (lastStatusAt is { } last)
            {
                update[nameof(AccountEntity.LastStatusAt)] = last;
            }

            try
            {
                await table.UpdateEntityAsync(update, current.ETag, TableUpdateMode.Merge, cancellationToken);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed && attempt < 20)
            {
                // Another writer got there first: read again.
            }
        }
    }

    /// <summary>All live local accounts, oldest first (deleted ones are left out).</summary>
    public async IAsyncEnumerable<LocalAccount> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        await foreach (var row in table.QueryAsync<AccountEntity>(e => e.PartitionKey == StorageKeys.AccountPartition, cancellationToken: cancellationToken))
        {
            if (row.DeletedAt is null)
            {
                yield return FromEntity(row);
            }
        }
    }

    /// <summary>
    /// Discoverable local accounts, oldest first, after the account id <paramref name="after"/> when given: one projected
    /// range query over the account partition per page (hidden accounts are skipped, so a page may hold fewer).
    /// </summary>
    public async Task<DirectoryPage> ListDirectoryAsync(string? after, int limit, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var from = after is not null && SnowflakeIds.IsValid(after) ? after : "";
        string[] columns =
        [
            "RowKey", nameof(AccountEntity.Username), nameof(AccountEntity.DisplayName), nameof(AccountEntity.Note), nameof(AccountEntity.ActorType),
            nameof(AccountEntity.Discoverable), nameof(AccountEntity.StatusesCount), nameof(AccountEntity.FollowersCount), nameof(AccountEntity.DeletedAt),
        ];
        var list = new List<DirectoryEntry>(limit);
        string? last = null;
        var read = 0;
        await foreach (var row in table.QueryAsync<AccountEntity>(
            e => e.PartitionKey == StorageKeys.AccountPartition && e.RowKey.CompareTo(from) > 0, maxPerPage: limit, select: columns, cancellationToken: cancellationToken))
        {
            read++;
            last = row.RowKey;
            if (row.Discoverable && row.DeletedAt is null)
            {
                list.Add(new DirectoryEntry(row.RowKey, row.Username, row.DisplayName, row.Note,
                    Enum.TryParse<ActorType>(row.ActorType, out var type) ? type : ActorType.Person, row.StatusesCount, row.FollowersCount));
            }

            if (read >= limit)
            {
                break;
            }
        }

        return new DirectoryPage(list, read >= limit ? last : null);
    }

    /// <summary>Counts read for NodeInfo: one projected range query over the account partition.</summary>
    public async Task<AccountTotals> GetTotalsAsync(CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var now = time.GetUtcNow();
        long users = 0, posts = 0, activeMonth = 0, activeHalfYear = 0;
        await foreach (var row in table.QueryAsync<AccountEntity>(
            e => e.PartitionKey == StorageKeys.AccountPartition,
            select: [nameof(AccountEntity.StatusesCount), nameof(AccountEntity.LastStatusAt), nameof(AccountEntity.DeletedAt)],
            cancellationToken: cancellationToken))
        {
            if (row.DeletedAt is not null)
            {
                continue;
            }

            users++;
            posts += row.StatusesCount;
            if (row.LastStatusAt is { } last)
            {
                if (now - last <= TimeSpan.FromDays(30))
                {
                    activeMonth++;
                }

                if (now - last <= TimeSpan.FromDays(180))
                {
                    activeHalfYear++;
                }
            }
        }

        return new AccountTotals(users, activeMonth, activeHalfYear, posts);
    }

    public async Task<InstanceActor> GetOrCreateInstanceActorAsync(CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var (pk, rk) = StorageKeys.InstanceActor();
        var existing = await table.GetEntityIfExistsAsync<InstanceActorEntity>(pk, rk, cancellationToken: cancellationToken);
        if (existing.HasValue)
        {
            var e = existing.Value!;
            return new InstanceActor(e.CreatedAt, e.RsaPrivateKeyPem, e.RsaPublicKeyPem);
        }

        var keys = ActorKeys.Generate();
        var entity = new InstanceActorEntity
        {
            PartitionKey = pk,
            RowKey = rk,
            CreatedAt = time.GetUtcNow(),
            RsaPrivateKeyPem = keys.RsaPrivateKeyPem,
            RsaPublicKeyPem = keys.RsaPublicKeyPem,
        };
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            return new InstanceActor(entity.CreatedAt, entity.RsaPrivateKeyPem, entity.RsaPublicKeyPem);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            // Another instance created it first; theirs is the one remote servers may already have cached.
            var winner = (await table.GetEntityAsync<InstanceActorEntity>(pk, rk, cancellationToken: cancellationToken)).Value;
            return new InstanceActor(winner.CreatedAt, winner.RsaPrivateKeyPem, winner.RsaPublicKeyPem);
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

    private static AccountEntity ToEntity(LocalAccount a)
    {
        var (pk, rk) = StorageKeys.Account(a.Id);
        return new AccountEntity
        {
            PartitionKey = pk,
            RowKey = rk,
            Username = a.Username,
            DisplayName = a.DisplayName,
            Note = a.Note,
            ActorType = a.ActorType.ToString(),
            Email = a.Email,
            PasswordHash = a.PasswordHash,
            Locked = a.Locked,
            Discoverable = a.Discoverable,
            Indexable = a.Indexable,
            CreatedAt = a.CreatedAt,
            LastStatusAt = a.LastStatusAt,
            StatusesCount = a.StatusesCount,
            FollowersCount = a.FollowersCount,
            FollowingCount = a.FollowingCount,
            RsaPrivateKeyPem = a.RsaPrivateKeyPem,
            RsaPublicKeyPem = a.RsaPublicKeyPem,
            Ed25519PrivateKey = a.Ed25519PrivateKey,
            Ed25519PublicKey = a.Ed25519PublicKey,
            DefaultPrivacy = a.DefaultPrivacy,
            DefaultSensitive = a.DefaultSensitive,
            DefaultLanguage = a.DefaultLanguage,
            NoteText = a.NoteText,
            AvatarBlob = a.AvatarBlob,
            AvatarContentType = a.AvatarContentType,
            HeaderBlob = a.HeaderBlob,
            HeaderContentType = a.HeaderContentType,
            Fields = ProfileField.Serialize(a.Fields),
        };
    }

    private static LocalAccount FromEntity(AccountEntity e) => new()
    {
        Id = e.RowKey,
        Username = e.Username,
        DisplayName = e.DisplayName,
        Note = e.Note,
        ActorType = Enum.TryParse<ActorType>(e.ActorType, out var type) ? type : ActorType.Person,
        Email = e.Email,
        PasswordHash = e.PasswordHash,
        Locked = e.Locked,
        Discoverable = e.Discoverable,
        Indexable = e.Indexable,
        CreatedAt = e.CreatedAt,
        LastStatusAt = e.LastStatusAt,
        StatusesCount = e.StatusesCount,
        FollowersCount = e.FollowersCount,
        FollowingCount = e.FollowingCount,
        RsaPrivateKeyPem = e.RsaPrivateKeyPem,
        RsaPublicKeyPem = e.RsaPublicKeyPem,
        Ed25519PrivateKey = e.Ed25519PrivateKey,
        Ed25519PublicKey = e.Ed25519PublicKey,
        DefaultPrivacy = e.DefaultPrivacy ?? "public",
        DefaultSensitive = e.DefaultSensitive,
        DefaultLanguage = e.DefaultLanguage,
        NoteText = e.NoteText,
        AvatarBlob = string.IsNullOrEmpty(e.AvatarBlob) ? null : e.AvatarBlob,
        AvatarContentType = e.AvatarContentType,
        HeaderBlob = string.IsNullOrEmpty(e.HeaderBlob) ? null : e.HeaderBlob,
        HeaderContentType = e.HeaderContentType,
        Fields = ProfileField.Parse(e.Fields),
        DeletedAt = e.DeletedAt,
        PurgedAt = e.PurgedAt,
    };

    /// <summary>Every local account row's id and creation time, deleted ones included (1 range query projected to 2 columns per 1,000 accounts).</summary>
    public async Task<IReadOnlyList<(string Id, DateTimeOffset? CreatedAt)>> ListCreatedAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var rows = new List<(string, DateTimeOffset?)>();
        await foreach (var row in table.QueryAsync<TableEntity>($"PartitionKey eq '{StorageKeys.AccountPartition}'", select: ["RowKey", "CreatedAt"], cancellationToken: cancellationToken))
        {
            rows.Add((row.RowKey, row.GetDateTimeOffset("CreatedAt")));
        }

        return rows;
    }
}
