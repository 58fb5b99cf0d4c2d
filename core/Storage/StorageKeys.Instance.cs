using System.Globalization;
using System.Text;

namespace ServerlessFedi.Storage;

/// <summary>The keys of instance-wide and operator rows: statistics ranges, moderation, Web Push, team access (see <see cref="StorageKeys"/>).</summary>
public static partial class StorageKeys
{
    // ranges scanned by the instance statistics (peers, weekly activity)

    /// <summary>Row key of a cached remote actor (<see cref="RemoteActor"/>); a query on it lists every cached actor.</summary>
    public const string RemoteActorRowKey = "actor";

    /// <summary>Partition of the delivery-health rows (<see cref="DeliveryDomain"/>).</summary>
    public const string DeliveryDomainPartition = "domain";

    /// <summary>Row key of a status row (<see cref="Status"/>).</summary>
    public const string StatusRowKey = "status";

    /// <summary>
    /// Status rows are partitioned by their 18-digit id; every other partition of the statuses table starts with a letter,
    /// so <c>PartitionKey ge {id} and PartitionKey lt "a"</c> holds the status rows from that id on.
    /// </summary>
    public const string StatusPartitionsEnd = "a";

    /// <summary>The per-account token partitions (<see cref="AccountToken"/>): from <c>acct-</c> up to, not including, <c>acct.</c>.</summary>
    public static (string From, string To) AccountTokenPartitions => ("acct-", "acct.");

    /// <summary>Row key that sorts newest first for a time-ordered id (ids are 18-digit snowflakes).</summary>
    public static string Descending(string id) =>
        (999_999_999_999_999_999L - long.Parse(id, CultureInfo.InvariantCulture)).ToString("D18", CultureInfo.InvariantCulture);

    public static string Sha256Hex(string value) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    // moderation table

    public const string InstanceDomainBlockPartition = "domainblock";
    public const string ModeratedAccountPartition = "account";

    /// <summary>The operator's block of a remote domain: PK <c>domainblock</c>, RK the lower-cased host (one partition: the policy reads all at once).</summary>
    public static (string Pk, string Rk) InstanceDomainBlock(string host) => (InstanceDomainBlockPartition, Escape(host.ToLowerInvariant()));

    /// <summary>A remote account the operator silenced or suspended: PK <c>account</c>, RK SHA-256 of its actor id.</summary>
    public static (string Pk, string Rk) ModeratedAccount(string actorId) => (ModeratedAccountPartition, Sha256Hex(actorId));

    /// <summary>The instance's VAPID key pair (accounts table, beside the instance actor).</summary>
    public static (string Pk, string Rk) VapidKey() => (InstancePartition, "vapid");

    /// <summary>A Web Push subscription (oauth table): PK <c>push-{accountId}</c>, RK the hash of the access token it belongs to (one per token, as Mastodon).</summary>
    public static (string Pk, string Rk) PushSubscription(string accountId, string tokenHashHex) => ($"push-{accountId}", tokenHashHex);

    /// <summary>The accounts that have a push subscription (oauth table, one partition read at once): PK <c>pushrecipients</c>, RK the account id.</summary>
    public static (string Pk, string Rk) PushRecipient(string accountId) => (PushRecipientsPartition, accountId);

    public const string PushRecipientsPartition = "pushrecipients";

    // team access (issue 18)

    /// <summary>A staff member of a local (agency) account: accounts table, PK <c>staff-{agencyId}</c> (the agency's own partition), RK the staff name.</summary>
    public static (string Pk, string Rk) StaffMember(string agencyId, string name) => (StaffPartition(agencyId), name);

    public static string StaffPartition(string agencyId) => $"staff-{agencyId}";

    /// <summary>
    /// The identity a staff member's login throttle and second factor are keyed by (<see cref="LoginFailures"/>,
    /// <see cref="TwoFactor"/>): never a bare account id, which is all digits.
    /// </summary>
    public static string StaffSubject(string agencyId, string name) => $"staff-{agencyId}-{name}";

    /// <summary>Access tokens issued to a staff member: oauth table, PK <c>stafftok-{agencyId}-{name}</c>, RK token hash (revoked all at once on removal).</summary>
    public static (string Pk, string Rk) StaffToken(string agencyId, string name, string tokenHashHex) => ($"stafftok-{agencyId}-{name}", tokenHashHex);

    /// <summary>An audit row: audit table, PK the agency's account id, RK <see cref="Descending"/> of a snowflake id (newest first).</summary>
    public static (string Pk, string Rk) AuditEntry(string agencyId, string entryId) => (agencyId, Descending(entryId));
}
