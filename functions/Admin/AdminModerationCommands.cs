using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Moderation;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Functions.Admin;

/// <summary>
/// The operator's moderation: <c>domains</c> (server-wide blocks), <c>accounts</c> (silence or suspend a remote account),
/// <c>statuses remove</c> and <c>reports</c> (Flags received). A running app applies a change within
/// <see cref="ModerationPolicy.CacheLifetime"/>.
/// </summary>
public static class AdminModerationCommands
{
    public static Command Domains(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var domain = new Argument<string>("domain") { Description = "The domain; its subdomains are covered too." };
        var severity = new Option<DomainSeverity>("--severity")
        {
            Description = "suspend (refuse everything), silence (out of public timelines, no notifications from non-followed accounts) or noop.",
            DefaultValueFactory = _ => DomainSeverity.Suspend,
        };
        var rejectMedia = new Option<bool>("--reject-media") { Description = "Show its media as links, never as images." };
        var rejectReports = new Option<bool>("--reject-reports") { Description = "Ignore its reports (Flag)." };
        var comment = new Option<string?>("--public-comment") { Description = "Shown with the block at /api/v1/instance/domain_blocks when Fedi__ShowDomainBlocks allows." };

        var block = new Command("block", "Block a domain (replaces an earlier block of it). A suspension severs the follows between local accounts and its accounts.");
        block.Arguments.Add(domain);
        foreach (var o in new Option[] { severity, rejectMedia, rejectReports, comment })
        {
            block.Options.Add(o);
        }

        block.SetAction(async (parse, ct) =>
        {
            await using var sp = AdminCli.Services(configuration);
            var result = await sp.GetRequiredService<ModerationService>().BlockDomainAsync(
                parse.GetValue(domain)!, parse.GetValue(severity), parse.GetValue(rejectMedia), parse.GetValue(rejectReports), parse.GetValue(comment), ct);
            if (!result.Succeeded)
            {
                await error.WriteLineAsync($"error: {result.Error}");
                return 1;
            }

            await output.WriteLineAsync($"Blocked {ModerationService.Normalize(parse.GetValue(domain))} ({parse.GetValue(severity).ToString().ToLowerInvariant()}).");
            if (result.SeveranceQueued)
            {
                await output.WriteLineAsync("Severing the follows between local accounts and its accounts is queued; unblocking does not restore them.");
            }

            return 0;
        });

        var list = new Command("list", "List the blocked domains.");
        list.SetAction(async (_, ct) =>
        {
            await using var sp = AdminCli.Services(configuration);
            var blocks = (await sp.GetRequiredService<ModerationStore>().LoadAsync(ct)).DomainBlocks;
            await output.WriteLineAsync($"{"DOMAIN",-40}  {"SEVERITY",-8}  {"MEDIA",-6}  {"REPORTS",-7}  {"SINCE (UTC)",-16}  PUBLIC COMMENT");
            foreach (var b in blocks)
            {
                await output.WriteLineAsync(
                    $"{b.Domain,-40}  {b.Severity.ToString().ToLowerInvariant(),-8}  {(b.RejectMedia ? "reject" : "-"),-6}  {(b.RejectReports ? "reject" : "-"),-7}  {b.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm}  {b.PublicComment?.ReplaceLineEndings(" ")}");
            }

            await output.WriteLineAsync($"{blocks.Count} blocked domain(s)");
            return 0;
        });

        var unblockDomain = new Argument<string>("domain") { Description = "The blocked domain." };
        var unblock = new Command("unblock", "Lift a domain block: its servers may follow and deliver again (severed follows stay severed).");
        unblock.Arguments.Add(unblockDomain);
        unblock.SetAction(async (parse, ct) =>
        {
            await using var sp = AdminCli.Services(configuration);
            if (!await sp.GetRequiredService<ModerationService>().UnblockDomainAsync(parse.GetValue(unblockDomain)!, ct))
            {
                await error.WriteLineAsync($"error: {parse.GetValue(unblockDomain)} is not blocked");
                return 1;
            }

            await output.WriteLineAsync($"Unblocked {ModerationService.Normalize(parse.GetValue(unblockDomain))}.");
            return 0;
        });

        var command = new Command("domains", "Server-wide domain blocks (Mastodon's moderation of a whole server).");
        command.Subcommands.Add(block);
        command.Subcommands.Add(list);
        command.Subcommands.Add(unblock);
        return command;
    }

    public static Command Accounts(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var command = new Command("accounts", "Silence or suspend remote accounts (local ones: 'admin account').");
        foreach (var (name, severity, description) in new[]
        {
            ("suspend", DomainSeverity.Suspend, "Refuse everything from the account and sever its follows with local accounts."),
            ("silence", DomainSeverity.Silence, "Keep the account's posts out of public timelines and its notifications from accounts that do not follow it."),
        })
        {
            var target = new Argument<string>("account") { Description = "@user@domain, or the actor's URL." };
            var act = new Command(name, description);
            act.Arguments.Add(target);
            act.SetAction(async (parse, ct) =>
            {
                await using var sp = AdminCli.Services(configuration);
                var (actorId, acct) = await FindRemoteAsync(sp, parse.GetValue(target)!, ct);
                if (actorId is null)
                {
                    await error.WriteLineAsync($"error: no remote account '{parse.GetValue(target)}' could be found");
                    return 1;
                }

                var result = await sp.GetRequiredService<ModerationService>().ActOnAccountAsync(actorId, acct, severity, ct);
                if (!result.Succeeded)
                {
                    await error.WriteLineAsync($"error: {result.Error}");
                    return 1;
                }

                await output.WriteLineAsync($"{(severity == DomainSeverity.Suspend ? "Suspended" : "Silenced")} {acct} ({actorId}).");
                if (result.SeveranceQueued)
                {
                    await output.WriteLineAsync("Severing its follows with local accounts is queued; unsuspending does not restore them.");
                }

                return 0;
            });
            command.Subcommands.Add(act);
        }

        var lifted = new Argument<string>("account") { Description = "@user@domain, or the actor's URL." };
        var unsuspend = new Command("unsuspend", "Lift an account's silence or suspension.");
        unsuspend.Arguments.Add(lifted);
        unsuspend.SetAction(async (parse, ct) =>
        {
            await using var sp = AdminCli.Services(configuration);
            var named = parse.GetValue(lifted)!.TrimStart('@');
            var action = (await sp.GetRequiredService<ModerationStore>().LoadAsync(ct)).Accounts
                .FirstOrDefault(a => string.Equals(a.Acct, named, StringComparison.OrdinalIgnoreCase) || a.ActorId == named);
            if (action is null || !await sp.GetRequiredService<ModerationService>().LiftAccountActionAsync(action.ActorId, ct))
            {
                await error.WriteLineAsync($"error: {parse.GetValue(lifted)} is neither silenced nor suspended");
                return 1;
            }

            await output.WriteLineAsync($"Lifted the {action.Severity.ToString().ToLowerInvariant()} of {action.Acct}.");
            return 0;
        });
        command.Subcommands.Add(unsuspend);

        var list = new Command("list", "List the silenced and suspended remote accounts.");
        list.SetAction(async (_, ct) =>
        {
            await using var sp = AdminCli.Services(configuration);
            var accounts = (await sp.GetRequiredService<ModerationStore>().LoadAsync(ct)).Accounts;
            foreach (var a in accounts)
            {
                await output.WriteLineAsync($"{a.Acct,-40}  {a.Severity.ToString().ToLowerInvariant(),-8}  {a.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm}  {a.ActorId}");
            }

            await output.WriteLineAsync($"{accounts.Count} account(s)");
            return 0;
        });
        command.Subcommands.Add(list);
        return command;
    }

    public static Command Statuses(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var target = new Argument<string>("status") { Description = "The status's id or its URL (ActivityPub id)." };
        var remove = new Command("remove", "Remove a remote status (it becomes a tombstone, as if its author deleted it; not reversible).");
        remove.Arguments.Add(target);
        remove.SetAction(async (parse, ct) =>
        {
            await using var sp = AdminCli.Services(configuration);
            var result = await sp.GetRequiredService<ModerationService>().RemoveStatusAsync(parse.GetValue(target)!, ct);
            if (!result.Succeeded)
            {
                await error.WriteLineAsync($"error: {result.Error}");
                return 1;
            }

            await output.WriteLineAsync($"Removed {parse.GetValue(target)}.");
            return 0;
        });
        var command = new Command("statuses", "Statuses from other servers.");
        command.Subcommands.Add(remove);
        return command;
    }

    public static Command Reports(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var list = new Command("list", "List the reports, newest first (the same as 'admin reports').");
        list.SetAction((_, ct) => ListReportsAsync(configuration, output, ct));

        var showId = new Argument<string>("id") { Description = "The report's id (first column of the list)." };
        var show = new Command("show", "Show a report with the reported accounts and statuses.");
        show.Arguments.Add(showId);
        show.SetAction(async (parse, ct) =>
        {
            await using var sp = AdminCli.Services(configuration);
            var report = await sp.GetRequiredService<ReportStore>().GetAsync(parse.GetValue(showId)!, ct);
            if (report is null)
            {
                await error.WriteLineAsync($"error: no report {parse.GetValue(showId)}");
                return 1;
            }

            await output.WriteLineAsync($"Report {report.Id}, received {report.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC, {(report.ResolvedAt is { } at ? $"resolved {at.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : "open")}");
            await output.WriteLineAsync($"Reporter: {report.ReporterActorId}{(report.ReporterAccountId is null ? " (another server's Flag)" : " (filed here)")}");
            await output.WriteLineAsync($"Category: {report.Category}{(report.RuleIds.Count > 0 ? $", rules {string.Join(',', report.RuleIds)}" : "")}{(report.Forwarded ? ", forwarded to the account's server" : "")}");
            await output.WriteLineAsync($"Comment:  {report.Comment}");
            var accounts = sp.GetRequiredService<AccountStore>();
            var directory = sp.GetRequiredService<AccountDirectory>();
            foreach (var accountId in report.AccountIds)
            {
                var account = await accounts.GetByIdIncludingDeletedAsync(accountId, ct);
                var name = account is not null ? "@" + account.Username : (await directory.GetByApiIdAsync(accountId, ct))?.Remote is { } remote ? $"@{remote.PreferredUsername}@{remote.Host} ({remote.Id})" : "(unknown)";
                await output.WriteLineAsync($"Account:  {accountId} {name}{(account?.DeletedAt is not null ? " (deleted)" : "")}");
            }

            var statuses = sp.GetRequiredService<StatusStore>();
            foreach (var statusId in report.StatusIds)
            {
                var status = await statuses.GetAsync(statusId, ct);
                if (status is null)
                {
                    await output.WriteLineAsync($"Status:   {statusId} (unknown)");
                    continue;
                }

                var author = await accounts.GetByIdIncludingDeletedAsync(status.AccountId, ct);
                var text = (status.IsLocal ? status.Text : ServerlessFedi.Filters.FilterMatcher.PlainText(status.ContentHtml)).ReplaceLineEndings(" ");
                await output.WriteLineAsync(
                    $"Status:   {statusId} by @{author?.Username ?? status.AccountId}, {status.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC, {status.Visibility.ToString().ToLowerInvariant()}{(status.DeletedAt is not null ? ", deleted" : "")}");
                await output.WriteLineAsync($"          {(status.SpoilerText is { Length: > 0 } cw ? $"[CW: {cw}] " : "")}{text}");
            }

            return 0;
        });

        var command = new Command("reports", "Reports local accounts filed from their apps and reports (ActivityPub Flag) other servers sent about local accounts or statuses, newest first.");
        command.SetAction((_, ct) => ListReportsAsync(configuration, output, ct));
        command.Subcommands.Add(list);
        command.Subcommands.Add(show);
        foreach (var (name, resolved, description) in new[] { ("resolve", true, "Mark a report resolved."), ("reopen", false, "Mark a resolved report open again.") })
        {
            var id = new Argument<string>("id") { Description = "The report's id." };
            var mark = new Command(name, description);
            mark.Arguments.Add(id);
            mark.SetAction(async (parse, ct) =>
            {
                await using var sp = AdminCli.Services(configuration);
                if (!await sp.GetRequiredService<ReportStore>().SetResolvedAsync(parse.GetValue(id)!, resolved, ct))
                {
                    await error.WriteLineAsync($"error: no report {parse.GetValue(id)}");
                    return 1;
                }

                await output.WriteLineAsync($"Report {parse.GetValue(id)} is {(resolved ? "resolved" : "open")}.");
                return 0;
            });
            command.Subcommands.Add(mark);
        }

        return command;
    }

    private static async Task<int> ListReportsAsync(IConfiguration configuration, TextWriter output, CancellationToken ct)
    {
        await using var sp = AdminCli.Services(configuration);
        var reports = await sp.GetRequiredService<ReportStore>().ListAsync(100, ct);
        await output.WriteLineAsync($"{"ID",-18}  {"STATE",-8}  {"RECEIVED (UTC)",-16}  {"REPORTER",-50}  {"ACCOUNTS",-20}  {"STATUSES",-20}  COMMENT");
        foreach (var r in reports)
        {
            var comment = r.Comment.ReplaceLineEndings(" ");
            await output.WriteLineAsync(
                $"{r.Id,-18}  {(r.ResolvedAt is null ? "open" : "resolved"),-8}  {r.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm}  {r.ReporterActorId,-50}  {string.Join(',', r.AccountIds),-20}  {string.Join(',', r.StatusIds),-20}  {(comment.Length > 200 ? comment[..200] + "…" : comment)}");
        }

        await output.WriteLineAsync($"{reports.Count} report(s)");
        return 0;
    }

    /// <summary>The actor id and handle of a remote account named by handle (resolved by WebFinger when not cached) or by URL.</summary>
    private static async Task<(string? ActorId, string Acct)> FindRemoteAsync(IServiceProvider sp, string target, CancellationToken ct)
    {
        var resolver = sp.GetRequiredService<AccountResolver>();
        if (Uri.TryCreate(target, UriKind.Absolute, out var url) && url.Scheme is "https" or "http")
        {
            return ((await resolver.ResolveUrlAsync(target, ct))?.Id, target);
        }

        var parts = target.TrimStart('@').Split('@');
        if (parts is not [{ Length: > 0 } user, { Length: > 0 } domain])
        {
            return (null, target);
        }

        var actor = await resolver.FindByHandleAsync(user, domain, ct) ?? await resolver.ResolveHandleAsync(user, domain, ct);
        return (actor?.Id, $"{user}@{domain.ToLowerInvariant()}");
    }
}
