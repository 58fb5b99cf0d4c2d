using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Migration;

namespace ServerlessFedi.Functions.Admin;

/// <summary>
/// Bringing an agency over (docs/MIGRATION.md): <c>account alias add|remove|list</c> (its <c>alsoKnownAs</c>, so the old
/// server's Move is accepted), <c>account move</c> (out, to a new account that aliases it) and <c>account import</c>
/// (Mastodon's CSV exports).
/// </summary>
public static class AdminMigrationCommands
{
    public static Command Alias(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var command = new Command("alias", "The account's aliases (alsoKnownAs): its accounts on other servers, whose Move to this account is accepted.");
        foreach (var (name, add, description) in new[]
        {
            ("add", true, "Add an alias (resolved through WebFinger to its actor id) and publish the change to followers."),
            ("remove", false, "Remove an alias and publish the change to followers."),
        })
        {
            var username = new Option<string>("--username") { Description = "The local account.", Required = true };
            var alias = new Option<string>("--alias") { Description = "@user@server.example, or the actor's URL.", Required = true };
            var change = new Command(name, description);
            change.Options.Add(username);
            change.Options.Add(alias);
            change.SetAction(async (parse, ct) =>
            {
                await using var sp = AdminCli.Services(configuration);
                var migration = sp.GetRequiredService<AccountMigration>();
                var result = add
                    ? await migration.AddAliasAsync(parse.GetValue(username)!, parse.GetValue(alias)!, ct)
                    : await migration.RemoveAliasAsync(parse.GetValue(username)!, parse.GetValue(alias)!, ct);
                if (!result.Succeeded)
                {
                    await error.WriteLineAsync($"error: {result.Error}");
                    return 1;
                }

                await output.WriteLineAsync(!result.Changed ? $"{result.ActorId} is already an alias." : add ? $"Added alias {result.ActorId}." : $"Removed alias {result.ActorId}.");
                return 0;
            });
            command.Subcommands.Add(change);
        }

        var listUser = new Option<string>("--username") { Description = "The local account.", Required = true };
        var list = new Command("list", "List the account's aliases (actor ids).");
        list.Options.Add(listUser);
        list.SetAction(async (parse, ct) =>
        {
            await using var sp = AdminCli.Services(configuration);
            if (await sp.GetRequiredService<AccountMigration>().ListAliasesAsync(parse.GetValue(listUser)!, ct) is not { } aliases)
            {
                await error.WriteLineAsync($"error: no local account '{parse.GetValue(listUser)}'");
                return 1;
            }

            foreach (var a in aliases)
            {
                await output.WriteLineAsync(a);
            }

            await output.WriteLineAsync($"{aliases.Count} alias(es)");
            return 0;
        });
        command.Subcommands.Add(list);
        return command;
    }

    public static Command Move(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var username = new Option<string>("--username") { Description = "The local account that moves.", Required = true };
        var to = new Option<string>("--to") { Description = "The new account, @user@server.example or its actor URL; it must list this account in its aliases.", Required = true };
        var move = new Command("move", "Move the account to a new one: set movedTo and send Move to every follower, whose servers then follow the new account.");
        move.Options.Add(username);
        move.Options.Add(to);
        move.SetAction(async (parse, ct) =>
        {
            await using var sp = AdminCli.Services(configuration);
            var result = await sp.GetRequiredService<AccountMigration>().MoveAsync(parse.GetValue(username)!, parse.GetValue(to)!, ct);
            if (!result.Succeeded)
            {
                await error.WriteLineAsync($"error: {result.Error}");
                return 1;
            }

            await output.WriteLineAsync($"@{parse.GetValue(username)!.TrimStart('@')} moved to {result.ActorId}; Move is queued for every follower's server.");
            return 0;
        });
        return move;
    }

    public static Command Import(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var username = new Option<string>("--username") { Description = "The local account to import into.", Required = true };
        var type = new Option<string>("--type") { Description = "following, blocks, mutes, domain_blocks or bookmarks.", Required = true };
        type.AcceptOnlyFromAmong("following", "blocks", "mutes", "domain_blocks", "bookmarks");
        var file = new Option<FileInfo>("--file") { Description = "The CSV file as Mastodon exports it (Settings > Import and export > Data export).", Required = true };
        var overwrite = new Option<bool>("--overwrite") { Description = "Also end the follows, blocks, mutes or domain blocks the file does not list (default: merge)." };
        var import = new Command("import", $"Import one of Mastodon's CSV exports (at most {CsvImport.MaxRows:N0} rows, {CsvImport.MaxBytes / (1024 * 1024)} MB); prints progress and every line that failed with its reason.");
        foreach (var o in new Option[] { username, type, file, overwrite })
        {
            import.Options.Add(o);
        }

        import.SetAction(async (parse, ct) =>
        {
            await using var sp = AdminCli.Services(configuration);
            var account = await sp.GetRequiredService<AccountStore>().GetByUsernameAsync(parse.GetValue(username)!.TrimStart('@'), ct);
            if (account is null || account.DeletedAt is not null)
            {
                await error.WriteLineAsync($"error: no local account '{parse.GetValue(username)}'");
                return 1;
            }

            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                await error.WriteLineAsync($"error: no file {path.FullName}");
                return 1;
            }

            await using var stream = path.OpenRead();
            var report = await sp.GetRequiredService<CsvImport>().ImportAsync(account, CsvImport.ParseType(parse.GetValue(type))!.Value, stream, parse.GetValue(overwrite),
                async (done, total) =>
                {
                    if (done % 100 == 0 || done == total)
                    {
                        await output.WriteLineAsync($"{done}/{total} rows");
                    }
                },
                ct);
            if (!report.Succeeded)
            {
                await error.WriteLineAsync($"error: {report.Error}; nothing was imported");
                return 1;
            }

            foreach (var f in report.FailedRows)
            {
                await output.WriteLineAsync($"line {f.Line}: {f.Value}: {f.Reason}");
            }

            await output.WriteLineAsync($"Imported {report.Imported} of {report.Rows} row(s) into @{account.Username}; {report.FailedRows.Count} failed{(parse.GetValue(overwrite) ? $"; {report.Removed} removed (not listed)" : "")}.");
            return report.FailedRows.Count == 0 ? 0 : 1;
        });
        return import;
    }
}
