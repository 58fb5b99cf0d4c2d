namespace ServerlessFedi.Migration;

/// <summary>The Mastodon CSV exports <see cref="CsvImport"/> reads (Mastodon's import types, in its CLI spelling).</summary>
public enum ImportType
{
    /// <summary><c>following_accounts.csv</c>: <c>Account address,Show boosts,Notify on new posts,Languages</c>.</summary>
    Following,

    /// <summary><c>blocked_accounts.csv</c>: one account address per line.</summary>
    Blocks,

    /// <summary><c>muted_accounts.csv</c>: <c>Account address,Hide notifications</c>.</summary>
    Mutes,

    /// <summary><c>blocked_domains.csv</c>: one domain per line.</summary>
    DomainBlocks,

    /// <summary><c>bookmarks.csv</c>: one status URL per line.</summary>
    Bookmarks,
}
