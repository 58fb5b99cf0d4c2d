namespace ServerlessFedi.Configuration;

/// <summary><c>Fedi__Rules</c>: one rule per non-empty line, numbered from 1 in order (Mastodon's Rule ids are strings).</summary>
public static class InstanceRules
{
    public const int MaxRules = 50;

    /// <summary>Mastodon limits a rule's text to 300 characters.</summary>
    public const int MaxRuleLength = 300;

    public static IReadOnlyList<string> Parse(string? setting) =>
        (setting ?? "").ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
