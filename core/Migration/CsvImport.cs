using System.Text;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Migration;

/// <summary>
/// Imports one of Mastodon's CSV exports into a local account (Mastodon's Settings > Import, in its "merge" and
/// "overwrite" modes): follows, blocks, mutes, domain blocks, bookmarks. A file over <see cref="MaxBytes"/> or
/// <see cref="MaxRows"/> is refused whole; otherwise every line is tried and a failed line (malformed, unknown account,
/// unreachable server, unknown status) is reported with its reason while the others are imported. Accounts are resolved
/// as the client API resolves them (WebFinger, once a day per handle). Bookmarks name statuses this server already has
/// (local ones, or remote ones it has seen). Overwrite then removes the existing entries the file does not list.
/// Storage per row: the account's resolution + what the follow, block, mute, domain block or bookmark costs.
/// </summary>
public sealed class CsvImport(
    MigrationTargets targets,
    RelationshipService relationships,
    FollowingStore following,
    DomainBlockStore domainBlocks,
    AccountDirectory directory,
    StatusStore statuses,
    StatusInteractions interactions,
    InstanceUrls urls)
{
    /// <summary>As Mastodon's import form: 20 MB.</summary>
    public const long MaxBytes = 20 * 1024 * 1024;

    /// <summary>Rows per import (Mastodon processes at most 20,000 rows of an import too).</summary>
    public const int MaxRows = 20_000;

    /// <summary>Longer lines are no account address, domain or status URL.</summary>
    public const int MaxLineLength = 2_048;

    /// <summary>How an import type is spelled on the command line and in Mastodon's forms; null when it is none.</summary>
    public static ImportType? ParseType(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "following" => ImportType.Following,
        "blocks" or "blocking" => ImportType.Blocks,
        "mutes" or "muting" => ImportType.Mutes,
        "domain_blocks" or "domain_blocking" => ImportType.DomainBlocks,
        "bookmarks" => ImportType.Bookmarks,
        _ => null,
    };

    /// <param name="progress">Told the rows done and the rows in all, after every row.</param>
    public async Task<ImportReport> ImportAsync(LocalAccount account, ImportType type, Stream csv, bool overwrite, Func<int, int, Task>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(csv);
        if (overwrite && type == ImportType.Bookmarks)
        {
            return ImportReport.Refused("bookmarks are imported by merging only");
        }

        var (rows, refusal) = await ReadRowsAsync(csv, cancellationToken);
        if (refusal is not null)
        {
            return ImportReport.Refused(refusal);
        }

        var failures = new List<ImportFailure>();
        var kept = new HashSet<string>(StringComparer.Ordinal);
        var imported = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var (line, fields) = rows[i];
            var first = fields?.FirstOrDefault()?.Trim() ?? "";
            var reason = fields is null ? "the line is not valid CSV (unbalanced quotes)"
                : first.Length == 0 ? "the first field is empty"
                : await ImportRowAsync(account, type, fields, first, kept, cancellationToken);
            if (reason is null)
            {
                imported++;
            }
            else
            {
                failures.Add(new ImportFailure(line, first.Length > 100 ? first[..100] + "…" : first, reason));
            }

            if (progress is not null)
            {
                await progress(i + 1, rows.Count);
            }
        }

        var removed = overwrite ? await RemoveUnlistedAsync(account, type, kept, cancellationToken) : 0;
        return new ImportReport(null, rows.Count, imported, failures, removed);
    }

    /// <summary>The rows (line number, fields or null when malformed) after an optional header, or why the file is refused.</summary>
    private static async Task<(List<(int Line, string[]? Fields)> Rows, string? Refusal)> ReadRowsAsync(Stream csv, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await csv.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return ([], $"the file is larger than {MaxBytes / (1024 * 1024)} MB");
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        using var reader = new StreamReader(buffer, new UTF8Encoding(false, throwOnInvalidBytes: false));
        var rows = new List<(int, string[]?)>();
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (line.Trim().Length == 0 || number == 1 && MastodonCsv.IsHeader(line))
            {
                continue;
            }

            if (rows.Count == MaxRows)
            {
                return ([], $"the file has more than {MaxRows:N0} rows");
            }

            rows.Add((number, line.Length > MaxLineLength ? null : MastodonCsv.ParseLine(line)));
        }

        return (rows, null);
    }

    /// <summary>Imports one row; null when done, else why not. <paramref name="kept"/> collects what overwrite keeps.</summary>
    private async Task<string?> ImportRowAsync(LocalAccount account, ImportType type, string[] fields, string first, HashSet<string> kept, CancellationToken cancellationToken)
    {
        if (type == ImportType.DomainBlocks)
        {
            if (DomainBlockStore.Normalize(first) is not { } domain)
            {
                return "not a domain name";
            }

            await domainBlocks.AddAsync(account.Id, domain, cancellationToken);
            kept.Add(domain);
            return null;
        }

        if (type == ImportType.Bookmarks)
        {
            var statusId = urls.StatusOf(first)?.StatusId ?? await statuses.GetIdByUriAsync(first, cancellationToken);
            if (statusId is null)
            {
                return "the status is not known on this server";
            }

            var result = await interactions.BookmarkAsync(account, statusId, on: true, cancellationToken);
            return result.Error is null ? null : result.Message ?? "the status cannot be bookmarked";
        }

        if (first.Contains(' ', StringComparison.Ordinal) || first.TrimStart('@').Split('@').Length != 2)
        {
            return "not an account address (user@domain)";
        }

        var target = await targets.ResolveAsync(first, fresh: false, cancellationToken);
        if (target is null)
        {
            return "the account could not be found (unknown, unreachable or suspended)";
        }

        if (target.Local?.Id == account.Id)
        {
            return "the account is the importing account itself";
        }

        kept.Add(target.ActorId);
        switch (type)
        {
            case ImportType.Following:
                var showReblogs = fields.Length < 2 || !bool.TryParse(fields[1].Trim(), out var show) || show;
                await relationships.FollowAsync(account, target, showReblogs, cancellationToken);
                break;
            case ImportType.Blocks:
                await relationships.BlockAsync(account, target, cancellationToken);
                break;
            case ImportType.Mutes:
                await relationships.SetMuteAsync(account, target, on: true, cancellationToken);
                break;
        }

        return null;
    }

    /// <summary>Overwrite: ends the follows, blocks, mutes or domain blocks the file did not list; how many.</summary>
    private async Task<int> RemoveUnlistedAsync(LocalAccount account, ImportType type, HashSet<string> kept, CancellationToken cancellationToken)
    {
        var removed = 0;
        if (type == ImportType.DomainBlocks)
        {
            foreach (var domain in (await domainBlocks.ListAsync(account.Id, cancellationToken)).Where(d => !kept.Contains(d)))
            {
                await domainBlocks.RemoveAsync(account.Id, domain, cancellationToken);
                removed++;
            }

            return removed;
        }

        var existing = new List<string>();
        if (type == ImportType.Following)
        {
            existing.AddRange((await following.ListAnyStateAsync(account.Id, MaxRows, cancellationToken)).Select(f => f.TargetActorId));
        }
        else
        {
            await foreach (var (actorId, _) in following.EnumerateRelationAsync(type == ImportType.Blocks ? RelationshipService.Block : RelationshipService.Mute, account.Id, cancellationToken))
            {
                existing.Add(actorId);
            }
        }

        foreach (var actorId in existing.Where(a => !kept.Contains(a)))
        {
            if (await directory.GetByActorIdAsync(actorId, cancellationToken) is not { } target)
            {
                continue;
            }

            await (type switch
            {
                ImportType.Following => relationships.UnfollowAsync(account, target, cancellationToken),
                ImportType.Blocks => relationships.UnblockAsync(account, target, cancellationToken),
                _ => relationships.SetMuteAsync(account, target, on: false, cancellationToken),
            });
            removed++;
        }

        return removed;
    }
}
