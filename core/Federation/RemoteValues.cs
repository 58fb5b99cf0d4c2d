using System.Text.RegularExpressions;

namespace ServerlessFedi.Federation;

/// <summary>
/// The shapes remote names and links must have before apps, pages and feeds see them, checked when a document is parsed:
/// a username as Mastodon accepts one from another server (letters, digits and <c>_</c>, joined by <c>.</c> or <c>-</c>;
/// Account <c>USERNAME_RE</c>), a host name (or IPv4 address) with an optional port, and web links that are https
/// (<c>http</c> only where the caller allows it: tests with <c>Fedi__AllowPrivateNetworks</c>), without credentials.
/// </summary>
public static partial class RemoteValues
{
    /// <summary>Mastodon's hard limit for remote usernames (<c>USERNAME_LENGTH_HARD_LIMIT</c>).</summary>
    public const int MaxUsernameLength = 2048;

    /// <summary>Mastodon's hard limit for remote display names (<c>DISPLAY_NAME_LENGTH_HARD_LIMIT</c>); longer names are cut.</summary>
    public const int MaxDisplayNameLength = 2048;

    /// <summary>Characters of a remote bio kept before sanitising (Mastodon's <c>NOTE_LENGTH_HARD_LIMIT</c>, 20 KB).</summary>
    public const int MaxSummaryLength = 20_000;

    public static bool IsUsername(string? value) => value is { Length: > 0 and <= MaxUsernameLength } && Username().IsMatch(value);

    /// <summary>A DNS name or IPv4 address, with an optional port: what may follow the <c>@</c> of a handle.</summary>
    public static bool IsDomain(string? value) => value is { Length: > 0 and <= 261 } && Domain().IsMatch(value);

    /// <summary>
    /// <paramref name="url"/> when it is an absolute https URL without credentials (http too with
    /// <paramref name="allowHttp"/>) and, with <paramref name="sameHostAs"/>, on that host; otherwise null.
    /// </summary>
    public static string? WebUrl(string? url, bool allowHttp, Uri? sameHostAs = null) =>
        RemoteAttachmentParser.IsAllowedUrl(url, allowHttp)
        && (sameHostAs is null || string.Equals(new Uri(url!).Host, sameHostAs.Host, StringComparison.OrdinalIgnoreCase))
            ? url
            : null;

    [GeneratedRegex(@"^[A-Za-z0-9_]+([.-]+[A-Za-z0-9_]+)*$")]
    private static partial Regex Username();

    [GeneratedRegex(@"^(?=[^:]{1,253}(:|$))[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(:[0-9]{1,5})?$")]
    private static partial Regex Domain();
}
