using System.Text.RegularExpressions;

namespace ServerlessFedi.Accounts;

/// <summary>Validation rules for local accounts; each returns null when the value is acceptable, else the reason.</summary>
public static partial class AccountRules
{
    public const int MinPasswordLength = 12;
    public const int MaxPasswordLength = 128;

    /// <summary>Mastodon's limits of a profile (docs: methods/accounts#update_credentials).</summary>
    public const int MaxDisplayName = 30;

    public const int MaxNote = 500;

    /// <summary>Mastodon's rule: letters, digits and underscores, at most 30 characters.</summary>
    public static string? CheckUsername(string? username)
    {
        if (string.IsNullOrEmpty(username))
        {
            return "username is required";
        }

        if (!UsernamePattern().IsMatch(username))
        {
            return "username may contain only letters, digits and underscores (A-Z, a-z, 0-9, _), 1 to 30 characters";
        }

        return ReservedUsernames.Contains(username) ? $"username '{username}' is reserved" : null;
    }

    public static string? CheckPassword(string? password, string? username)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "password is required";
        }

        if (password.Length < MinPasswordLength)
        {
            return $"password is too short: at least {MinPasswordLength} characters";
        }

        if (password.Length > MaxPasswordLength)
        {
            return $"password is too long: at most {MaxPasswordLength} characters";
        }

        var classes = (password.Any(char.IsLower) ? 1 : 0) + (password.Any(char.IsUpper) ? 1 : 0)
            + (password.Any(char.IsDigit) ? 1 : 0) + (password.Any(c => !char.IsLetterOrDigit(c)) ? 1 : 0);
        if (classes < 3 && password.Length < 20)
        {
            return "password is too weak: use at least three of lower-case, upper-case, digits and symbols, or 20 characters or more";
        }

        if (password.Distinct().Count() < 6)
        {
            return "password is too weak: too few distinct characters";
        }

        if (!string.IsNullOrEmpty(username) && password.Contains(username, StringComparison.OrdinalIgnoreCase))
        {
            return "password must not contain the username";
        }

        return null;
    }

    public static string? CheckEmail(string? email)
    {
        if (string.IsNullOrEmpty(email))
        {
            return null;
        }

        return EmailPattern().IsMatch(email) && email.Length <= 254 ? null : $"'{email}' is not an e-mail address";
    }

    public static string? CheckDisplayName(string? displayName) =>
        displayName is { Length: > MaxDisplayName } ? $"display name is too long: at most {MaxDisplayName} characters" : null;

    public static string? CheckNote(string? note) =>
        note is { Length: > MaxNote } ? $"note is too long: at most {MaxNote} characters" : null;

    /// <summary>Names that would collide with our own routes or mislead readers (Mastodon reserves a similar list).</summary>
    private static readonly HashSet<string> ReservedUsernames = new(StringComparer.OrdinalIgnoreCase)
    {
        "admin", "administrator", "root", "support", "help", "security", "postmaster", "webmaster", "hostmaster",
        "abuse", "noreply", "no_reply", "actor", "instance", "inbox", "api", "oauth", "about", "settings", "users",
    };

    [GeneratedRegex("^[A-Za-z0-9_]{1,30}$")]
    private static partial Regex UsernamePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}
