namespace ServerlessFedi.Storage;

/// <summary>Logical table, queue and container names; the physical name adds <c>Fedi__StoragePrefix</c>.</summary>
public static class StorageNames
{
    /// <summary>Local accounts, their username/e-mail indexes and the instance actor.</summary>
    public const string AccountsTable = "accounts";

    /// <summary>OAuth applications, authorization codes and access tokens (hashes only).</summary>
    public const string OAuthTable = "oauth";

    /// <summary>Followers of local accounts (PK account id), the fan-out's source.</summary>
    public const string FollowersTable = "followers";

    /// <summary>Cached remote actors and their keys, and the keyId index.</summary>
    public const string RemoteActorsTable = "remoteactors";

    /// <summary>
    /// Ids of inbound activities already accepted (the same activity twice has effect once): one table per UTC week,
    /// <c>inboxseen{yyyyMMdd}</c> (<see cref="WeeklyTables"/>), created on use, so not in <see cref="AllTables"/>.
    /// </summary>
    public const string InboxSeenTable = "inboxseen";

    /// <summary>Per-domain delivery health.</summary>
    public const string DeliveryTable = "delivery";

    /// <summary>Notifications for local accounts.</summary>
    public const string NotificationsTable = "notifications";

    /// <summary>Statuses by id (tombstones stay) and each account's statuses newest first.</summary>
    public const string StatusesTable = "statuses";

    /// <summary>Favourites, reblogs, bookmarks and pins.</summary>
    public const string InteractionsTable = "interactions";

    /// <summary>Local accounts' follows (of local and remote accounts) and the reverse index.</summary>
    public const string FollowingTable = "following";

    /// <summary>Home, public and hashtag timelines (status ids, newest first).</summary>
    public const string TimelinesTable = "timelines";

    /// <summary>Reports (ActivityPub Flag) for the operator.</summary>
    public const string ReportsTable = "reports";

    /// <summary>Media attachments of local accounts (PK account id) and the index of unattached uploads.</summary>
    public const string MediaTable = "media";

    /// <summary>Processed media files (original and preview per attachment), served under <c>Fedi__MediaBaseUrl</c>.</summary>
    public const string MediaContainer = "media";

    /// <summary>Content filters of local accounts (Mastodon v2 filters), one row per filter.</summary>
    public const string FiltersTable = "filters";

    /// <summary>Lists of local accounts and their members.</summary>
    public const string ListsTable = "lists";

    /// <summary>The operator's domain blocks and remote account actions (silence, suspend).</summary>
    public const string ModerationTable = "moderation";

    /// <summary>Team access: what each agency's logins wrote through the client API (PK the agency's account id), kept for <c>Fedi__AuditRetentionDays</c>.</summary>
    public const string AuditTable = "audit";

    /// <summary>Activity payloads too large for a queue message.</summary>
    public const string PayloadsContainer = "payloads";

    /// <summary>Video and audio uploads as received, until the <c>media</c> queue has stripped them (private: they still carry metadata).</summary>
    public const string UploadsContainer = "uploads";

    /// <summary>
    /// Logical names of the work queues (the physical names are the <c>Fedi*Queue</c> settings, see FederationQueues);
    /// <c>accounts</c> carries the paged removal after an account deletion, <c>media</c> the processing of v2 video and audio uploads, <c>push</c> Web Push deliveries.
    /// </summary>
    public static IReadOnlyList<string> AllQueues { get; } = ["inbox", "fanout", "deliver", "accounts", "media", "push"];

    public static IReadOnlyList<string> AllTables { get; } =
        [AccountsTable, OAuthTable, FollowersTable, RemoteActorsTable, DeliveryTable, NotificationsTable, StatusesTable, InteractionsTable, FollowingTable, TimelinesTable, ReportsTable, MediaTable, FiltersTable, ListsTable, ModerationTable, AuditTable];

    /// <summary>Copies of remote files the app serves itself (<c>Fedi__ProxyRemoteMedia</c>), deleted by a lifecycle rule after some days (private).</summary>
    public const string RemoteMediaContainer = "remotemedia";

    public static IReadOnlyList<string> AllContainers { get; } = [PayloadsContainer, MediaContainer, UploadsContainer, RemoteMediaContainer];

    /// <summary>Table names: alphanumeric, so the prefix is glued on.</summary>
    public static string Table(string prefix, string logical) => prefix + logical;

    /// <summary>Queue and container names allow hyphens.</summary>
    public static string Queue(string prefix, string logical) => prefix.Length == 0 ? logical : $"{prefix}-{logical}";
}
