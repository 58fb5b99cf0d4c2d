namespace ServerlessFedi.OAuth;

/// <summary>
/// OAuth scopes as Mastodon defines them (docs: api/oauth-scopes). A top-level scope (<c>read</c>) grants all of its
/// granular children (<c>read:statuses</c>); <c>follow</c> is the deprecated alias of the relationship scopes.
/// </summary>
public static class Scopes
{
    private static readonly string[] ReadChildren =
        ["accounts", "blocks", "bookmarks", "favourites", "filters", "follows", "lists", "mutes", "notifications", "search", "statuses"];

    private static readonly string[] WriteChildren =
        ["accounts", "blocks", "bookmarks", "conversations", "favourites", "filters", "follows", "lists", "media", "mutes", "notifications", "reports", "statuses"];

    public static IReadOnlySet<string> Known { get; } = BuildKnown();

    /// <summary>Parses a space- or plus-separated scope string; returns the reason when a scope is unknown.</summary>
    public static (IReadOnlyList<string> Scopes, string? Error) Parse(string? value, string defaultScope = "read")
    {
        var parts = (value ?? "").Split([' ', '+', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            parts = [defaultScope];
        }

        var unknown = parts.Where(p => !Known.Contains(p)).ToArray();
        if (unknown.Length > 0)
        {
            return ([], $"unknown scope: {string.Join(' ', unknown)}");
        }

        return (parts.Distinct(StringComparer.Ordinal).ToArray(), null);
    }

    /// <summary>Whether the granted scopes allow <paramref name="required"/> (e.g. <c>write:statuses</c>).</summary>
    public static bool Allows(IEnumerable<string> granted, string required)
    {
        ArgumentNullException.ThrowIfNull(granted);
        ArgumentNullException.ThrowIfNull(required);
        foreach (var scope in granted)
        {
            if (scope == required)
            {
                return true;
            }

            if (required.StartsWith(scope + ":", StringComparison.Ordinal))
            {
                return true;
            }

            // profile (Mastodon 4.3) asks for the signed-in account only; read and read:accounts include it.
            if (required == "profile" && scope is "read" or "read:accounts")
            {
                return true;
            }

            if (scope == "follow" && required is "read:follows" or "write:follows" or "read:blocks" or "write:blocks" or "read:mutes" or "write:mutes")
            {
                return true;
            }
        }

        return false;
    }

    private static HashSet<string> BuildKnown()
    {
        var set = new HashSet<string>(StringComparer.Ordinal) { "read", "write", "follow", "push", "profile", "admin:read", "admin:write" };
        foreach (var c in ReadChildren)
        {
            set.Add("read:" + c);
        }

        foreach (var c in WriteChildren)
        {
            set.Add("write:" + c);
        }

        foreach (var c in new[] { "accounts", "reports", "domain_allows", "domain_blocks", "ip_blocks", "email_domain_blocks", "canonical_email_blocks" })
        {
            set.Add("admin:read:" + c);
            set.Add("admin:write:" + c);
        }

        return set;
    }
}
