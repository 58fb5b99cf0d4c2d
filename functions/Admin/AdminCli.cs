using System.CommandLine;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.OAuth;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Functions.Admin;

/// <summary>
/// The operator's command line (<c>admin ...</c>). It works directly against the storage account (Azurite, or Azure
/// through Entra ID), so no admin endpoint exists on the internet. Exit codes: 0 success, 1 refused or failed, 2 usage.
/// </summary>
public static class AdminCli
{
    public static async Task<int> RunAsync(string[] args, IConfiguration configuration, TextWriter? stdout = null, TextWriter? stderr = null, TextReader? stdin = null)
    {
        var output = stdout ?? Console.Out;
        var error = stderr ?? Console.Error;
        var input = stdin ?? Console.In;

        var root = new RootCommand("ServerlessFedi administration: works directly against the configured storage account.");
        root.Subcommands.Add(StorageCommand(configuration, output));
        root.Subcommands.Add(AccountCommand(configuration, output, error, input));
        root.Subcommands.Add(TokenCommand(configuration, output, error));
        root.Subcommands.Add(AdminQueueCommands.Queues(configuration, output, error));
        root.Subcommands.Add(AdminQueueCommands.Deliveries(configuration, output));
        root.Subcommands.Add(AdminModerationCommands.Reports(configuration, output, error));
        root.Subcommands.Add(AdminModerationCommands.Domains(configuration, output, error));
        root.Subcommands.Add(AdminModerationCommands.Accounts(configuration, output, error));
        root.Subcommands.Add(AdminModerationCommands.Statuses(configuration, output, error));
        root.Subcommands.Add(AdminCostsCommand.Create(configuration, output, error));
        root.Subcommands.Add(AdminTeamCommands.Audit(configuration, output, error));

        // No response files: '@user@example.com' names an account, not a file of arguments.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                await error.WriteLineAsync($"error: {e.Message}");
            }

            await error.WriteLineAsync("Run 'admin --help' for usage.");
            return 2;
        }

        try
        {
            // Exceptions reach the handlers below instead of System.CommandLine's, which prints the stack trace.
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (FediConfigurationException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return 1;
        }
        catch (Exception ex) when (DescribeStorageFailure(ex) is { } line)
        {
            await error.WriteLineAsync(line);
            return 1;
        }
    }

    /// <summary>
    /// One line for a failure to reach or use the storage account (emulator not running, sign-in missing, no access),
    /// or null for any other exception, which is a bug and keeps its stack trace.
    /// </summary>
    internal static string? DescribeStorageFailure(Exception exception)
    {
        // The Azure SDK's retry policy gives up with an AggregateException of the attempts' failures.
        var ex = exception is AggregateException { InnerExceptions.Count: > 0 } aggregate ? aggregate.InnerExceptions[^1] : exception;
        return ex switch
        {
            Azure.Identity.AuthenticationFailedException or Azure.Identity.CredentialUnavailableException =>
                $"error: could not sign in to storage: {FirstLine(ex.Message)} (run 'az login', or set AzureWebJobsStorage)",
            Azure.RequestFailedException { Status: 0 } or HttpRequestException =>
                $"error: storage is unreachable: {FirstLine((ex.InnerException as HttpRequestException ?? ex).Message)} (is Azurite running? see AzureWebJobsStorage)",
            Azure.RequestFailedException { Status: 401 or 403 } r =>
                $"error: storage refused access ({r.Status} {r.ErrorCode}): the signed-in identity needs the Storage Table, Queue and Blob Data roles",
            Azure.RequestFailedException r => $"error: storage request failed ({r.Status} {r.ErrorCode}): {FirstLine(r.Message)}",
            _ => null,
        };
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    internal static ServiceProvider Services(IConfiguration configuration) =>
        new ServiceCollection().AddFedi(configuration).BuildServiceProvider();

    private static Command StorageCommand(IConfiguration configuration, TextWriter output)
    {
        var init = new Command("init", "Create every table, queue (with its poison queue) and blob container the app uses. Safe to repeat.");
        init.SetAction(async (_, ct) =>
        {
            await using var sp = Services(configuration);
            var account = sp.GetRequiredService<StorageAccount>();
            var options = sp.GetRequiredService<FediOptions>();
            foreach (var table in StorageNames.AllTables)
            {
                var name = StorageNames.Table(options.StoragePrefix, table);
                await account.Tables.CreateTableIfNotExistsAsync(name, ct);
                await output.WriteLineAsync($"table     {name}");
            }

            foreach (var queue in sp.GetRequiredService<FederationQueues>().All)
            {
                foreach (var name in new[] { queue, queue + "-poison" })
                {
                    await account.Queues.GetQueueClient(name).CreateIfNotExistsAsync(cancellationToken: ct);
                    await output.WriteLineAsync($"queue     {name}");
                }
            }

            foreach (var container in StorageNames.AllContainers)
            {
                var name = StorageNames.Queue(options.StoragePrefix, container);
                await account.Blobs.GetBlobContainerClient(name).CreateIfNotExistsAsync(cancellationToken: ct);
                await output.WriteLineAsync($"container {name}");
            }

            await output.WriteLineAsync($"Storage is ready ({account.Description}).");
            return 0;
        });
        var storage = new Command("storage", "Storage account set-up.");
        storage.Subcommands.Add(init);
        return storage;
    }

    private static Command AccountCommand(IConfiguration configuration, TextWriter output, TextWriter error, TextReader input)
    {
        var username = new Option<string>("--username") { Description = "Letters, digits and underscores; unique regardless of case.", Required = true };
        var password = new Option<string?>("--password") { Description = "At least 12 characters. Omit to have a strong one generated and printed once." };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input." };
        var displayName = new Option<string?>("--display-name") { Description = "Name shown on posts and the profile." };
        var email = new Option<string?>("--email") { Description = "Login e-mail address (unique)." };
        var type = new Option<ActorType>("--type") { Description = "Person (default), Organization or Service.", DefaultValueFactory = _ => ActorType.Person };
        var locked = new Option<bool>("--locked") { Description = "Followers must be approved." };

        var create = new Command("create", "Create a local account with its signing keys.");
        foreach (var o in new Option[] { username, password, passwordStdin, displayName, email, type, locked })
        {
            create.Options.Add(o);
        }

        create.SetAction(async (parse, ct) =>
        {
            var user = parse.GetValue(username)!;
            var (pass, generated, conflict) = await ReadPasswordAsync(parse, password, passwordStdin, input, error, ct);
            if (conflict)
            {
                return 2;
            }

            await using var sp = Services(configuration);
            var store = sp.GetRequiredService<AccountStore>();
            var urls = sp.GetRequiredService<InstanceUrls>();
            var result = await store.CreateAsync(new NewAccount(user, pass, parse.GetValue(displayName), parse.GetValue(email), parse.GetValue(type), parse.GetValue(locked)), ct);
            if (!result.Succeeded)
            {
                foreach (var e in result.Errors)
                {
                    await error.WriteLineAsync($"error: {e}");
                }

                return 1;
            }

            var a = result.Account!;
            await output.WriteLineAsync($"Created @{a.Username}@{urls.AccountDomain} (id {a.Id}, {a.ActorType})");
            await output.WriteLineAsync($"Actor:   {urls.Actor(a.Username)}");
            await output.WriteLineAsync($"Profile: {urls.Profile(a.Username)}");
            if (generated)
            {
                await output.WriteLineAsync("Generated password (shown once, store it safely now):");
                await output.WriteLineAsync(pass);
            }

            return 0;
        });

        var list = new Command("list", "List local accounts.");
        list.SetAction(async (_, ct) =>
        {
            await using var sp = Services(configuration);
            var store = sp.GetRequiredService<AccountListingStore>();
            var urls = sp.GetRequiredService<InstanceUrls>();
            var count = 0;
            await output.WriteLineAsync($"{"ID",-18}  {"HANDLE",-40}  {"TYPE",-12}  {"CREATED (UTC)",-16}  DISPLAY NAME");
            await foreach (var a in store.ListAsync(ct))
            {
                count++;
                await output.WriteLineAsync($"{a.Id,-18}  {"@" + a.Username + "@" + urls.AccountDomain,-40}  {a.ActorType,-12}  {a.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm}  {a.DisplayName}");
            }

            await output.WriteLineAsync($"{count} account(s)");
            return 0;
        });

        var account = new Command("account", "Local accounts.");
        account.Subcommands.Add(create);
        account.Subcommands.Add(list);
        account.Subcommands.Add(UpdateCommand(configuration, output, error));
        account.Subcommands.Add(DeleteCommand(configuration, output, error));
        account.Subcommands.Add(ExportCommand(configuration, output, error));
        account.Subcommands.Add(AdminTwoFactorCommand.Create(configuration, output, error));
        account.Subcommands.Add(AdminMigrationCommands.Alias(configuration, output, error));
        account.Subcommands.Add(AdminMigrationCommands.Move(configuration, output, error));
        account.Subcommands.Add(AdminMigrationCommands.Import(configuration, output, error));
        account.Subcommands.Add(AdminTeamCommands.Staff(configuration, output, error, input));
        return account;
    }

    private static Command ExportCommand(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var username = new Option<string>("--username") { Description = "The account whose data to export.", Required = true };
        var path = new Option<FileInfo>("--out") { Description = "The zip file to write (replaced if it exists).", Required = true };
        var export = new Command("export",
            "Write the account's data (GDPR Art. 20) as a Mastodon-compatible archive: actor.json, outbox.json, likes.json, bookmarks.json, "
            + "media files, avatar and header, and the CSV exports (follows, followers, lists, blocks, mutes, domain blocks, bookmarks).");
        var includeAudit = new Option<bool>("--include-audit") { Description = "Also write audit.csv: the team's audit trail (who wrote what through the API), only when the agency asks for it." };
        export.Options.Add(username);
        export.Options.Add(path);
        export.Options.Add(includeAudit);
        export.SetAction(async (parse, ct) =>
        {
            await using var sp = Services(configuration);
            var account = await sp.GetRequiredService<AccountStore>().GetByUsernameAsync(parse.GetValue(username)!, ct);
            if (account is null || account.DeletedAt is not null)
            {
                await error.WriteLineAsync($"error: no local account '{parse.GetValue(username)}'");
                return 1;
            }

            var file = parse.GetValue(path)!;
            await using (var stream = new FileStream(file.FullName, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await sp.GetRequiredService<ServerlessFedi.Export.AccountArchive>().WriteAsync(account, stream, ct);
            }

            if (parse.GetValue(includeAudit))
            {
                await using var archive = new FileStream(file.FullName, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, useAsync: true);
                await sp.GetRequiredService<ServerlessFedi.Team.AuditExport>().AddToArchiveAsync(archive, account.Id, ct);
            }

            file.Refresh();
            await output.WriteLineAsync($"Wrote the archive of @{account.Username} to {file.FullName} ({file.Length:N0} bytes).");
            return 0;
        });
        return export;
    }

    private static Command UpdateCommand(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var username = new Option<string>("--username") { Description = "The account to change.", Required = true };
        var displayName = new Option<string?>("--display-name") { Description = "New display name." };
        var note = new Option<string?>("--note") { Description = "New bio (plain text; shown escaped)." };
        var locked = new Option<bool?>("--locked") { Description = "true: followers must be approved; false: anyone may follow." };
        var update = new Command("update", "Change an account's profile and tell its followers' servers (Update of the actor).");
        foreach (var o in new Option[] { username, displayName, note, locked })
        {
            update.Options.Add(o);
        }

        update.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(displayName) is null && parse.GetValue(note) is null && parse.GetValue(locked) is null)
            {
                await error.WriteLineAsync("error: nothing to change: give --display-name, --note or --locked");
                return 2;
            }

            await using var sp = Services(configuration);
            var store = sp.GetRequiredService<AccountProfileStore>();
            var result = await store.UpdateProfileAsync(parse.GetValue(username)!, parse.GetValue(displayName), parse.GetValue(note), parse.GetValue(locked), ct);
            if (result.Account is null)
            {
                foreach (var e in result.Errors)
                {
                    await error.WriteLineAsync($"error: {e}");
                }

                return 1;
            }

            var activity = sp.GetRequiredService<ServerlessFedi.ActivityPub.ActivityBuilder>().UpdatePerson(result.Account, sp.GetRequiredService<TimeProvider>().GetUtcNow());
            await sp.GetRequiredService<ActivityPublisher>().PublishAsync(result.Account, activity, null, skipFollowers: false, ct);
            await output.WriteLineAsync($"Updated @{result.Account.Username}; followers' servers will be told ({result.Account.FollowersCount} followers).");
            return 0;
        });
        return update;
    }

    private static Command DeleteCommand(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var username = new Option<string>("--username") { Description = "The account to delete.", Required = true };
        var yes = new Option<bool>("--yes") { Description = "Confirm: the deletion cannot be undone." };
        var delete = new Command("delete",
            "Delete an account for good: no more logins (tokens revoked), profile and posts gone (410), follows removed, a Delete sent to "
            + "every server that follows it or that it follows. The username stays reserved. Runs again safely if interrupted.");
        delete.Options.Add(username);
        delete.Options.Add(yes);
        delete.SetAction(async (parse, ct) =>
        {
            var user = parse.GetValue(username)!;
            if (!parse.GetValue(yes))
            {
                await error.WriteLineAsync($"error: deleting @{user} cannot be undone; run again with --yes to confirm");
                return 2;
            }

            await using var sp = Services(configuration);
            var result = await sp.GetRequiredService<AccountDeletion>().DeleteLocalAsync(user, ct);
            if (result.Error is not null)
            {
                await error.WriteLineAsync($"error: {result.Error}");
                return 1;
            }

            if (result.AlreadyDeleted && result.TokensRevoked == 0 && result.Statuses == 0 && result.Followers == 0 && result.Following == 0)
            {
                await output.WriteLineAsync($"@{user} (id {result.AccountId}) is already deleted; the username stays reserved.");
                return 0;
            }

            await output.WriteLineAsync($"Deleted @{user} (id {result.AccountId}): it can no longer log in; the actor, profile and WebFinger answer 410.");
            await output.WriteLineAsync($"Revoked {result.TokensRevoked} access token(s).");
            await output.WriteLineAsync($"Queued the removal of {result.Statuses} status(es) with their media, the account's favourites, boosts, bookmarks and pins, "
                + $"{result.Followers} follower(s) and {result.Following} follow(s), and a Delete to each of their servers' inboxes.");
            await output.WriteLineAsync("The username stays reserved. If the removal is interrupted, run this command again; 'admin queues poison --queue accounts' shows failed steps.");
            return 0;
        });
        return delete;
    }

    private static Command TokenCommand(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var username = new Option<string>("--username") { Description = "The account the token acts as.", Required = true };
        var scopes = new Option<string>("--scopes") { Description = "Space-separated OAuth scopes, e.g. 'read write'.", DefaultValueFactory = _ => "read" };
        var description = new Option<string?>("--description") { Description = "What the token is for (shown in listings)." };
        var create = new Command("create", "Create an OAuth access token for automation; the token is the last line of output and is not stored.");
        create.Options.Add(username);
        create.Options.Add(scopes);
        create.Options.Add(description);
        create.SetAction(async (parse, ct) =>
        {
            var (granted, scopeError) = Scopes.Parse(parse.GetValue(scopes));
            if (scopeError is not null)
            {
                await error.WriteLineAsync($"error: {scopeError}");
                return 1;
            }

            await using var sp = Services(configuration);
            var account = await sp.GetRequiredService<AccountStore>().GetByUsernameAsync(parse.GetValue(username)!, ct);
            if (account is null)
            {
                await error.WriteLineAsync($"error: no local account '{parse.GetValue(username)}'");
                return 1;
            }

            var token = await sp.GetRequiredService<AccessTokenStore>().IssueAsync(account.Id, granted, applicationId: null, parse.GetValue(description) ?? "admin CLI", cancellationToken: ct);
            await output.WriteLineAsync($"Access token for @{account.Username} with scopes '{string.Join(' ', granted)}' (shown once):");
            await output.WriteLineAsync(token);
            return 0;
        });
        var token = new Command("token", "OAuth access tokens.");
        token.Subcommands.Add(create);
        return token;
    }

    /// <summary>
    /// The password of <c>--password</c>, of <c>--password-stdin</c> (the first line), or a generated one when neither is
    /// given; <c>Conflict</c> (said on stderr, exit 2) when both are.
    /// </summary>
    internal static async Task<(string Password, bool Generated, bool Conflict)> ReadPasswordAsync(ParseResult parse, Option<string?> password, Option<bool> passwordStdin, TextReader input, TextWriter error, CancellationToken cancellationToken)
    {
        var pass = parse.GetValue(password);
        if (parse.GetValue(passwordStdin))
        {
            if (pass is not null)
            {
                await error.WriteLineAsync("error: use either --password or --password-stdin, not both");
                return ("", false, true);
            }

            return ((await input.ReadLineAsync(cancellationToken))?.TrimEnd('\r') ?? "", false, false);
        }

        return pass is null ? (GeneratePassword(), true, false) : (pass, false, false);
    }

    private static string GeneratePassword()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_!";
        // 24 characters from 59 symbols: about 141 bits; always has several character classes.
        return RandomNumberGenerator.GetString(alphabet, 24) + "-" + RandomNumberGenerator.GetString("23456789", 2);
    }
}
