using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using QRCoder;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.OAuth;

namespace ServerlessFedi.Functions.Admin;

/// <summary>
/// <c>admin account 2fa enable|disable</c>: TOTP second factors (RFC 6238) for an account's logins. Enrolment prints the
/// secret, its <c>otpauth://</c> URI as text and QR code, and the recovery codes once; storage keeps none of them readable.
/// </summary>
public static class AdminTwoFactorCommand
{
    public static Command Create(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var command = new Command("2fa", "Two-factor logins (TOTP authenticator apps, with recovery codes) of an account.");
        command.Subcommands.Add(Enable(configuration, output, error));
        command.Subcommands.Add(Disable(configuration, output, error));
        return command;
    }

    private static Command Enable(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var username = new Option<string>("--username") { Description = "The account whose logins will ask for a code.", Required = true };
        var png = new Option<FileInfo?>("--qr-png") { Description = "Also write the QR code as a PNG file (it holds the secret: hand it over and delete it)." };
        var replace = new Option<bool>("--replace") { Description = "The account already has a second factor: give it a new secret and new recovery codes (the old ones stop working)." };
        var enable = new Command("enable",
            "Enrol the account in two-factor logins: prints the secret, the otpauth:// URI and its QR code for an authenticator app, and "
            + $"{TwoFactorAuthenticator.RecoveryCodeCount} single-use recovery codes. All are shown once; needs Fedi__TwoFactorKey.");
        enable.Options.Add(username);
        enable.Options.Add(png);
        enable.Options.Add(replace);
        enable.SetAction(async (parse, ct) =>
        {
            await using var sp = AdminCli.Services(configuration);
            if (!sp.GetRequiredService<TotpSecretProtector>().IsConfigured)
            {
                await error.WriteLineAsync("error: Fedi__TwoFactorKey is not set: put base64 of 32 random bytes there (e.g. 'openssl rand -base64 32') "
                    + "in the app settings and in local.settings.json, then run this again");
                return 1;
            }

            var account = await sp.GetRequiredService<AccountStore>().GetByUsernameAsync(parse.GetValue(username)!, ct);
            if (account is null)
            {
                await error.WriteLineAsync($"error: no local account '{parse.GetValue(username)}'");
                return 1;
            }

            var authenticator = sp.GetRequiredService<TwoFactorAuthenticator>();
            if (!parse.GetValue(replace) && await authenticator.GetEnrolmentAsync(account.Id, ct) is not null)
            {
                await error.WriteLineAsync($"error: @{account.Username} already has two-factor logins; --replace gives it a new secret and new recovery codes");
                return 1;
            }

            var setup = await authenticator.EnableAsync(account, ct);
            await PrintSetupAsync(setup, $"@{account.Username}@{sp.GetRequiredService<InstanceUrls>().AccountDomain}", parse.GetValue(png), output, ct);
            return 0;
        });
        return enable;
    }

    /// <summary>Prints a new enrolment for its owner (shown once): QR code, URI, secret, recovery codes; the PNG when asked.</summary>
    internal static async Task PrintSetupAsync(TwoFactorSetup setup, string handle, FileInfo? png, TextWriter output, CancellationToken cancellationToken)
    {
        using var generator = new QRCodeGenerator();
        using var qr = generator.CreateQrCode(setup.OtpAuthUri, QRCodeGenerator.ECCLevel.M);
        await output.WriteLineAsync($"Two-factor logins enabled for {handle}. Hand the owner, privately, what follows (shown once):");
        await output.WriteLineAsync();
        await output.WriteLineAsync("Scan with an authenticator app:");
        await output.WriteLineAsync(new AsciiQRCode(qr).GetGraphicSmall(drawQuietZones: true, invert: false, endOfLine: Environment.NewLine));
        await output.WriteLineAsync($"URI:    {setup.OtpAuthUri}");
        await output.WriteLineAsync($"Secret: {setup.Secret} (SHA-1, 6 digits, 30 seconds, for entering by hand)");
        if (png is not null)
        {
            await WritePrivateFileAsync(png, new PngByteQRCode(qr).GetGraphic(8), cancellationToken);
            await output.WriteLineAsync($"QR code written to {png.FullName}");
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync("Recovery codes (each works once, in place of a code, when the app is lost):");
        foreach (var code in setup.RecoveryCodes)
        {
            await output.WriteLineAsync("  " + code);
        }
    }

    private static Command Disable(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var username = new Option<string>("--username") { Description = "The account whose second factor is removed.", Required = true };
        var disable = new Command("disable", "Remove an account's second factor (secret and recovery codes): its logins ask for the password only.");
        disable.Options.Add(username);
        disable.SetAction(async (parse, ct) =>
        {
            await using var sp = AdminCli.Services(configuration);
            var account = await sp.GetRequiredService<AccountStore>().GetByUsernameAsync(parse.GetValue(username)!, ct);
            if (account is null)
            {
                await error.WriteLineAsync($"error: no local account '{parse.GetValue(username)}'");
                return 1;
            }

            var removed = await sp.GetRequiredService<TwoFactorAuthenticator>().DisableAsync(account.Id, ct);
            await output.WriteLineAsync(removed ? $"Two-factor logins disabled for @{account.Username}." : $"@{account.Username} had no two-factor logins.");
            if (sp.GetRequiredService<FediOptions>().RequireTwoFactor)
            {
                await output.WriteLineAsync($"Fedi__RequireTwoFactor is on: @{account.Username} cannot log in until 'admin account 2fa enable' is run again.");
            }

            return 0;
        });
        return disable;
    }

    /// <summary>Writes a file only its owner can read (on Unix): it holds the secret.</summary>
    private static async Task WritePrivateFileAsync(FileInfo file, byte[] bytes, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var stream = new FileStream(file.FullName, options);
        await stream.WriteAsync(bytes, cancellationToken);
    }
}
