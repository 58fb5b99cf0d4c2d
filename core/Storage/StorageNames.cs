namespace ServerlessFedi.Storage;

/// <summary>Logical table, queue and container names; the physical name adds <c>Fedi__StoragePrefix</c>.</summary>
public static class StorageNames
{
    /// <summary>Local accounts, their username/e-mail indexes and the instance actor.</summary>
    public const string AccountsTable = "accounts";

    /// <summary>OAuth applications, authorization codes and access tokens (hashes only).</summary>
    public const string OAuthTable = "oauth";

    public static IReadOnlyList<string> AllTables { get; } = [AccountsTable, OAuthTable];

    public static IReadOnlyList<string> AllQueues { get; } = [];

    public static IReadOnlyList<string> AllContainers { get; } = [];

    /// <summary>Table names: alphanumeric, so the prefix is glued on.</summary>
    public static string Table(string prefix, string logical) => prefix + logical;

    /// <summary>Queue and container names allow hyphens.</summary>
    public static string Queue(string prefix, string logical) => prefix.Length == 0 ? logical : $"{prefix}-{logical}";
}
