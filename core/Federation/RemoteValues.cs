using System.Text.RegularExpressions;
using ServerlessFedi.Storage;

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

    /// <summary>
    /// The longest URL kept from a remote document (ids of notes and activities, links, inboxes): what browsers and
    /// servers commonly accept, and what keeps a stored row far below Azure's 64 KiB per property.
    /// </summary>
    public const int MaxUrlLength = 2048;

    /// <summary>The longest PEM public key kept (an RSA-8192 key is about 1,500 characters).</summary>
    public const int MaxPublicKeyPemLength = 10_000;

    /// <summary>The longest hashtag name kept (as our own featured tags).</summary>
    public const int MaxHashtagLength = 100;

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

    /// <summary>
    /// An actor id this server can keep: at most <see cref="MaxUrlLength"/> characters, and short enough to be a table
    /// key once escaped (follower, following, block and interaction rows are keyed by it; Azure keys hold 1,024 characters).
    /// </summary>
    public static bool IsStorableActorId(string? value) =>
        value is { Length: > 0 and <= TableLimits.MaxKeyChars } && StorageKeys.Escape(value).Length <= TableLimits.MaxKeyChars;

    /// <summary><paramref name="url"/> when it is at most <see cref="MaxUrlLength"/> characters, otherwise null.</summary>
    public static string? Bounded(string? url) => url is { Length: <= MaxUrlLength } ? url : null;

    /// <summary>
    /// A hashtag name as Mastodon accepts one (letters, digits, marks, <c>_</c> and the separators <c>·</c>, <c>・</c> and
    /// zero-width non-joiner of its <c>HASHTAG_SEPARATORS</c>; not only digits), at most
    /// <see cref="MaxHashtagLength"/> characters: it becomes part of a table key (the tag's timeline), which may hold no
    /// <c>/</c>, <c>#</c> or <c>?</c>.
    /// </summary>
    public static bool IsHashtag(string? value) =>
        value is { Length: > 0 and <= MaxHashtagLength }
        && value.All(c => char.IsLetterOrDigit(c) || c is '_' or '\u00B7' or '\u30FB' or '\u200C' || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark)
        && !value.All(char.IsAsciiDigit);

    [GeneratedRegex(@"^[A-Za-z0-9_]+([.-]+[A-Za-z0-9_]+)*$")]
    private static partial Regex Username();

    [GeneratedRegex(@"^(?=[^:]{1,253}(:|$))[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(:[0-9]{1,5})?$")]
    private static partial Regex Domain();
}
