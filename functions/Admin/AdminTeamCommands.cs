using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.OAuth;
using ServerlessFedi.Team;

namespace ServerlessFedi.Functions.Admin;

/// <summary>
/// Team access (docs/TEAM.md): <c>admin account staff add|list|remove|2fa</c> for the staff members of an agency account,
/// and <c>admin audit</c> for the trail of what its logins wrote through the client API.
/// </summary>
public static class AdminTeamCommands
{
    public static Command Staff(IConfiguration configuration, TextWriter output, TextWriter error, TextReader input)
    {
        var command = new Command("staff", "Staff members of an agency account: each logs in as 'staff@agency' with their own password and second factor, and acts as the agency.");
        command.Subcommands.Add(Add(configuration, output, error, input));
        command.Subcommands.Add(List(configuration, output, error));
        command.Subcommands.Add(Remove(configuration, output, error));
        var twoFactor = new Command("2fa", "Two-factor logins (TOTP) of a staff member.");
        twoFactor.Subcommands.Add(EnableTwoFactor(configuration, output, error));
        twoFactor.Subcommands.Add(DisableTwoFactor(configuration, output, error));
        command.Subcommands.Add(twoFactor);
        return command;
    }

    public static Command Audit(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var username = Agency();
        var since = new Option<DateTimeOffset?>("--since") { Description = "Only entries from this time on (e.g. 2026-01-01, UTC)." };
        var staff = new Option<string?>("--staff") { Description = "Only this staff member's entries ('-' for the agency's own login)." };
        var audit = new Command("audit", "What an agency's logins wrote through the client API (time, staff member, application, action, object), newest first, within Fedi__AuditRetentionDays.");
        audit.Options.Add(username);
        audit.Options.Add(since);
        audit.Options.Add(staff);
        audit.SetAction(async (parse, ct) =>
        {
            await using var sp = AdminCli.Services(configuration);
            if (await AgencyAsync(sp, parse.GetValue(username)!, error, ct) is not { } agency)
            {
                return 1;
            }

            var from = parse.GetValue(since) is { } s ? new DateTimeOffset(s.DateTime, TimeSpan.Zero) : (DateTimeOffset?)null;
            var who = parse.GetValue(staff) is { } name ? (name == "-" ? "" : name) : null;
            var count = 0;
            await output.WriteLineAsync($"{"TIME (UTC)",-19}  {"STAFF",-20}  {"APPLICATION",-24}  {"ACTION",-48}  OBJECT");
            await foreach (var e in sp.GetRequiredService<AuditStore>().ListAsync(agency.Id, from, who, ct))
            {
                count++;
                var at = e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                await output.WriteLineAsync($"{at,-19}  {e.Staff ?? "(agency)",-20}  {e.Application ?? "",-24}  {e.Action,-48}  {e.ObjectId}");
            }

            await output.WriteLineAsync($"{count} entr{(count == 1 ? "y" : "ies")} for @{agency.Username}");
            return 0;
        });
        return audit;
    }

    private static Command Add(IConfiguration configuration, TextWriter output, TextWriter error, TextReader input)
    {
        var username = Agency();
        var staff = Name();
        var email = new Option<string?>("--email") { Description = "Login e-mail address of the staff member (unique across accounts and staff)." };
        var role = new Option<StaffRole>("--role") { Description = "poster (default) or manager (also reads the audit trail and manages posters).", DefaultValueFactory = _ => StaffRole.Poster };
        var password = new Option<string?>("--password") { Description = "At least 12 characters. Omit to have a strong one generated and printed once." };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input." };
        var add = new Command("add", "Add a staff member who logs in as 'staff@agency' (or by e-mail) with their own password.");
        foreach (var o in new Option[] { username, staff, email, role, password, passwordStdin })
        {
            add.Options.Add(o);
        }

        add.SetAction(async (parse, ct) =>
        {
            var (pass, generated, conflict) = await AdminCli.ReadPasswordAsync(parse, password, passwordStdin, input, error, ct);
            if (conflict)
            {
                return 2;
            }

            await using var sp = AdminCli.Services(configuration);
            if (await AgencyAsync(sp, parse.GetValue(username)!, error, ct) is not { } agency)
            {
                return 1;
            }

            var result = await sp.GetRequiredService<StaffStore>().AddAsync(agency, parse.GetValue(staff)!, parse.GetValue(email), pass, parse.GetValue(role), ct);
            if (result.Member is not { } member)
            {
                foreach (var e in result.Errors)
                {
                    await error.WriteLineAsync($"error: {e}");
                }

                return 1;
            }

            await output.WriteLineAsync($"Added {member.Role.ToString().ToLowerInvariant()} '{member.Name}' to @{agency.Username}: logs in as {member.Name}@{agency.Username}{(member.Email is null ? "" : " or " + member.Email)}");
            if (generated)
            {
                await output.WriteLineAsync("Generated password (shown once, store it safely now):");
                await output.WriteLineAsync(pass);
            }

            if (sp.GetRequiredService<FediOptions>().RequireTwoFactor)
            {
                await output.WriteLineAsync($"Fedi__RequireTwoFactor is on: '{member.Name}' can log in once 'admin account staff 2fa enable' has run.");
            }

            return 0;
        });
        return add;
    }

    private static Command List(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var username = Agency();
        var list = new Command("list", "List an agency's staff members.");
        list.Options.Add(username);
        list.SetAction(async (parse, ct) =>
        {
            await using var sp = AdminCli.Services(configuration);
            if (await AgencyAsync(sp, parse.GetValue(username)!, error, ct) is not { } agency)
            {
                return 1;
            }

            var members = await sp.GetRequiredService<StaffStore>().ListAsync(agency.Id, ct);
            var twoFactor = sp.GetRequiredService<TwoFactorAuthenticator>();
            await output.WriteLineAsync($"{"STAFF",-30}  {"ROLE",-8}  {"2FA",-3}  {"CREATED (UTC)",-16}  E-MAIL");
            foreach (var m in members)
            {
                var enrolled = await twoFactor.GetEnrolmentAsync(m.Subject, ct) is null ? "no" : "yes";
                await output.WriteLineAsync($"{m.Name,-30}  {m.Role.ToString().ToLowerInvariant(),-8}  {enrolled,-3}  {m.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm}  {m.Email}");
            }

            await output.WriteLineAsync($"{members.Count} staff member(s) of @{agency.Username}");
            return 0;
        });
        return list;
    }

    private static Command Remove(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var username = Agency();
        var staff = Name();
        var remove = new Command("remove", "Remove a staff member: their tokens are revoked at once (their apps get 401), their second factor is deleted; their audit entries stay.");
        remove.Options.Add(username);
        remove.Options.Add(staff);
        remove.SetAction(async (parse, ct) =>
        {
            await using var sp = AdminCli.Services(configuration);
            if (await MemberAsync(sp, parse.GetValue(username)!, parse.GetValue(staff)!, error, ct) is not { } found)
            {
                return 1;
            }

            var revoked = await sp.GetRequiredService<TeamService>().RemoveAsync(found.Member, ct);
            await output.WriteLineAsync($"Removed '{found.Member.Name}' from @{found.Agency.Username}; {revoked} token(s) revoked.");
            return 0;
        });
        return remove;
    }

    private static Command EnableTwoFactor(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var username = Agency();
        var staff = Name();
        var png = new Option<FileInfo?>("--qr-png") { Description = "Also write the QR code as a PNG file (it holds the secret: hand it over and delete it)." };
        var replace = new Option<bool>("--replace") { Description = "The staff member already has a second factor: give them a new secret and new recovery codes." };
        var enable = new Command("enable", "Enrol a staff member in two-factor logins (prints secret, QR code and recovery codes once; needs Fedi__TwoFactorKey).");
        foreach (var o in new Option[] { username, staff, png, replace })
        {
            enable.Options.Add(o);
        }

        enable.SetAction(async (parse, ct) =>
        {
            await using var sp = AdminCli.Services(configuration);
            if (!sp.GetRequiredService<TotpSecretProtector>().IsConfigured)
            {
                await error.WriteLineAsync("error: Fedi__TwoFactorKey is not set: put base64 of 32 random bytes there (e.g. 'openssl rand -base64 32')");
                return 1;
            }

            if (await MemberAsync(sp, parse.GetValue(username)!, parse.GetValue(staff)!, error, ct) is not { } found)
            {
                return 1;
            }

            var authenticator = sp.GetRequiredService<TwoFactorAuthenticator>();
            var label = found.Member.Name + "@" + found.Agency.Username;
            if (!parse.GetValue(replace) && await authenticator.GetEnrolmentAsync(found.Member.Subject, ct) is not null)
            {
                await error.WriteLineAsync($"error: {label} already has two-factor logins; --replace gives them a new secret and new recovery codes");
                return 1;
            }

            var setup = await authenticator.EnableAsync(found.Member.Subject, label, ct);
            await AdminTwoFactorCommand.PrintSetupAsync(setup, label, parse.GetValue(png), output, ct);
            return 0;
        });
        return enable;
    }

    private static Command DisableTwoFactor(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var username = Agency();
        var staff = Name();
        var disable = new Command("disable", "Remove a staff member's second factor: their logins ask for the password only.");
        disable.Options.Add(username);
        disable.Options.Add(staff);
        disable.SetAction(async (parse, ct) =>
        {
            await using var sp = AdminCli.Services(configuration);
            if (await MemberAsync(sp, parse.GetValue(username)!, parse.GetValue(staff)!, error, ct) is not { } found)
            {
                return 1;
            }

            var removed = await sp.GetRequiredService<TwoFactorAuthenticator>().DisableAsync(found.Member.Subject, ct);
            var label = found.Member.Name + "@" + found.Agency.Username;
            await output.WriteLineAsync(removed ? $"Two-factor logins disabled for {label}." : $"{label} had no two-factor logins.");
            return 0;
        });
        return disable;
    }

    private static Option<string> Agency() => new("--username") { Description = "The agency account.", Required = true };

    private static Option<string> Name() => new("--staff") { Description = "The staff member's name (a-z, 0-9, _).", Required = true };

    private static async Task<LocalAccount?> AgencyAsync(IServiceProvider sp, string username, TextWriter error, CancellationToken cancellationToken)
    {
        var agency = await sp.GetRequiredService<AccountStore>().GetByUsernameAsync(username, cancellationToken);
        if (agency is null)
        {
            await error.WriteLineAsync($"error: no local account '{username}'");
        }

        return agency;
    }

    private static async Task<(LocalAccount Agency, StaffMember Member)?> MemberAsync(IServiceProvider sp, string username, string name, TextWriter error, CancellationToken cancellationToken)
    {
        if (await AgencyAsync(sp, username, error, cancellationToken) is not { } agency)
        {
            return null;
        }

        if (await sp.GetRequiredService<StaffStore>().GetAsync(agency.Id, name, cancellationToken) is not { } member)
        {
            await error.WriteLineAsync($"error: @{agency.Username} has no staff member '{name}'");
            return null;
        }

        return (agency, member);
    }
}
