namespace ServerlessFedi.Accounts;

/// <summary>One page of the account directory; <see cref="NextAfter"/> is the cursor of the next page, null on the last.</summary>
public sealed record DirectoryPage(IReadOnlyList<DirectoryEntry> Accounts, string? NextAfter);
