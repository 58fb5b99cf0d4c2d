using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Content;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Accounts;

/// <summary>
/// The profile columns of a local account's row (display name, bio, images, fields, posting defaults), written by merges
/// that leave keys, password and counters alone.
/// </summary>
public sealed class AccountProfileStore(FediTables tables, AccountStore accounts)
{
    /// <summary>
    /// Changes profile fields; <paramref name="note"/> is plain text and is stored as escaped HTML paragraphs.
    /// Storage: 2 reads + 1 merge.
    /// </summary>
    public async Task<CreateAccountResult> UpdateProfileAsync(string username, string? displayName, string? note, bool? locked, CancellationToken cancellationToken = default)
    {
        var errors = new[] { AccountRules.CheckDisplayName(displayName), AccountRules.CheckNote(note) }.OfType<string>().ToArray();
        if (errors.Length > 0)
        {
            return CreateAccountResult.Refused(errors);
        }

        var account = await accounts.GetByUsernameAsync(username, cancellationToken);
        if (account is null)
        {
            return CreateAccountResult.Refused($"no local account '{username}'");
        }

        account = account with
        {
            DisplayName = displayName?.Trim() ?? account.DisplayName,
            Note = note is null ? account.Note : NoteHtml.FromPlainText(note),
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
        accounts.Forget(account.Id);
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
        accounts.Forget(account.Id);
    }

    /// <summary>
    /// Writes the account's aliases and move (<see cref="LocalAccount.AlsoKnownAs"/>, <see cref="LocalAccount.MovedTo"/>)
    /// in one merge; "none" is stored as an empty string, which a merge does not skip. Storage: 1 merge.
    /// </summary>
    public async Task SaveMigrationAsync(LocalAccount account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var (pk, rk) = StorageKeys.Account(account.Id);
        var row = new TableEntity(pk, rk)
        {
            [nameof(AccountEntity.AlsoKnownAs)] = string.Join(' ', account.AlsoKnownAs),
            [nameof(AccountEntity.MovedTo)] = account.MovedTo ?? "",
        };
        if (account.MovedAt is { } movedAt)
        {
            row[nameof(AccountEntity.MovedAt)] = movedAt;
        }

        await table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Merge, cancellationToken);
        accounts.Forget(account.Id);
    }
}
