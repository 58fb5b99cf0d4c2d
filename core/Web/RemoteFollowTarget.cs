using System.Text.RegularExpressions;

namespace ServerlessFedi.Web;

/// <summary>
/// Reads what a citizen typed into the remote-follow form: their server's host name, or their handle
/// (<c>@you@server</c> / <c>you@server</c>), optionally as <c>https://server</c>. Only a DNS host name passes: no other
/// scheme, path, query, user info, port, IP literal or control character, so the redirect can only ever go to
/// <c>https://{host}/authorize_interaction</c>.
/// </summary>
public static partial class RemoteFollowTarget
{
    public const int MaxInputLength = 300;

    /// <summary>The lower-cased host, or null when the input is not a server or handle.</summary>
    public static string? ParseHost(string? input)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > MaxInputLength)
        {
            return null;
        }

        var value = input.Trim();
        if (value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            value = value["https://".Length..];
            if (value.EndsWith('/'))
            {
                value = value[..^1];
            }
        }
        else if (value.StartsWith('@'))
        {
            value = value[1..];
        }

        var at = value.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!UserPart().IsMatch(value[..at]))
            {
                return null;
            }

            value = value[(at + 1)..];
        }

        return HostName().IsMatch(value) ? value.ToLowerInvariant() : null;
    }

    /// <summary>Mastodon (and GoToSocial, Pixelfed, ...) show the remote object with a follow button at this path.</summary>
    public static string AuthorizeInteractionUrl(string host, string actorUrl) =>
        $"https://{host}/authorize_interaction?uri={Uri.EscapeDataString(actorUrl)}";

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex UserPart();

    // Labels of letters, digits and inner hyphens; at least two labels; the last one not all digits (no IPv4 literals).
    [GeneratedRegex(@"^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex HostName();
}
