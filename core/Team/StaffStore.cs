using System.Net;
using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Accounts;
using ServerlessFedi.Crypto;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Team;

/// <summary>
/// Staff members of agency accounts, in the agency's own partition of the <c>accounts</c> table
/// (<see cref="StorageKeys.StaffMember"/>); a staff member's e-mail takes a row in the accounts' e-mail index (marked
/// <c>Staff</c>), so an address is unique across accounts and staff and names one login. Storage transactions: add 1
/// insert (+1 with an e-mail; a taken e-mail costs 1 delete more); get 1 point read; by e-mail 2 reads (index, row);
/// list 1 range query; remove 1 delete (+1 read and 1 delete with an e-mail).
/// </summary>
public sealed partial class StaffStore(FediTables tables, TimeProvider time)
{
    public const int MaxNameLength = 30;

    /// <summary>Adds a staff member with an Argon2id hash of <paramref name="password"/> (the accounts' rules for names, e-mails and passwords).</summary>
    public async Task<StaffAddResult> AddAsync(LocalAccount agency, string name, string? email, string password, StaffRole role, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agency);
        var errors = new[]
        {
            CheckName(name),
            AccountRules.CheckEmail(email),
            AccountRules.CheckPassword(password, name),
        }.OfType<string>().ToArray();
        if (errors.Length > 0)
        {
            return StaffAddResult.Refused(errors);
        }

        var member = new StaffMember(agency.Id, name, string.IsNullOrWhiteSpace(email) ? null : email.Trim(), PasswordHasher.Hash(password), role, time.GetUtcNow());
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var (pk, rk) = StorageKeys.StaffMember(agency.Id, name);
        try
        {
            await table.AddEntityAsync(new TableEntity(pk, rk)
            {
                ["Email"] = member.Email,
                ["PasswordHash"] = member.PasswordHash,
                ["Role"] = role.ToString(),
                ["CreatedAt"] = member.CreatedAt,
            }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            return StaffAddResult.Refused($"@{agency.Username} already has a staff member '{name}'");
        }

        if (member.Email is { } address)
        {
            var (epk, erk) = StorageKeys.Email(address);
            try
            {
                await table.AddEntityAsync(new TableEntity(epk, erk) { ["AccountId"] = agency.Id, ["Staff"] = name, ["ClaimedAt"] = member.CreatedAt }, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
            {
                await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
                return StaffAddResult.Refused($"e-mail '{address}' is already in use");
            }
        }

        return new StaffAddResult(member, []);
    }

    /// <summary>The staff member, or null when the agency has none of that name (malformed names included).</summary>
    public async Task<StaffMember?> GetAsync(string agencyId, string name, CancellationToken cancellationToken = default)
    {
        if (CheckName(name) is not null)
        {
            return null;
        }

        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var (pk, rk) = StorageKeys.StaffMember(agencyId, name);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        return row.HasValue ? ToMember(agencyId, row.Value!) : null;
    }

    /// <summary>The staff member whose e-mail this is; null for an account's e-mail or an unknown one.</summary>
    public async Task<StaffMember?> GetByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var (pk, rk) = StorageKeys.Email(email);
        var index = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        return index.HasValue && index.Value!.GetString("Staff") is { } name && index.Value.GetString("AccountId") is { } agencyId
            ? await GetAsync(agencyId, name, cancellationToken)
            : null;
    }

    /// <summary>The agency's staff members by name.</summary>
    public async Task<IReadOnlyList<StaffMember>> ListAsync(string agencyId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var partition = StorageKeys.StaffPartition(agencyId);
        var members = new List<StaffMember>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: cancellationToken))
        {
            members.Add(ToMember(agencyId, row));
        }

        return members;
    }

    /// <summary>Removes the staff member's row and e-mail; their tokens and second factor are the caller's (<see cref="TeamService.RemoveAsync"/>).</summary>
    public async Task RemoveAsync(StaffMember member, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var (pk, rk) = StorageKeys.StaffMember(member.AgencyId, member.Name);
        await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
        if (member.Email is { } address)
        {
            var (epk, erk) = StorageKeys.Email(address);
            var index = await table.GetEntityIfExistsAsync<TableEntity>(epk, erk, cancellationToken: cancellationToken);
            if (index.HasValue && index.Value!.GetString("Staff") == member.Name && index.Value.GetString("AccountId") == member.AgencyId)
            {
                await table.DeleteEntityAsync(epk, erk, index.Value.ETag, cancellationToken);
            }
        }
    }

    /// <summary>Null when <paramref name="name"/> is a valid staff name: 1 to 30 of a-z, 0-9 and _.</summary>
    public static string? CheckName(string? name) =>
        name is not null && NamePattern().IsMatch(name) ? null : $"staff name must be 1 to {MaxNameLength} characters of a-z, 0-9 and _";

    private static StaffMember ToMember(string agencyId, TableEntity row) => new(
        agencyId,
        row.RowKey,
        row.GetString("Email"),
        row.GetString("PasswordHash") ?? "",
        Enum.TryParse<StaffRole>(row.GetString("Role"), out var role) ? role : StaffRole.Poster,
        row.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue);

    [GeneratedRegex("^[a-z0-9_]{1,30}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
