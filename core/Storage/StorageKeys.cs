using System.Globalization;
using System.Text;

namespace ServerlessFedi.Storage;

/// <summary>
/// Every PartitionKey/RowKey shape in one place. Keys never contain <c>/ \ # ?</c> or control characters
/// (Azure Table rules); user-supplied parts go through <see cref="Escape"/>.
/// </summary>
public static partial class StorageKeys
{
    // accounts table
    public const string AccountPartition = "account";
    public const string UsernamePartition = "username";
    public const string EmailPartition = "email";
    public const string InstancePartition = "instance";
    public const string InstanceActorRow = "actor";

    /// <summary>Account row: PK <c>account</c>, RK the account id (a one-partition range query lists all local accounts).</summary>
    public static (string Pk, string Rk) Account(string id) => (AccountPartition, id);

    /// <summary>
    /// Row keys of account rows sort before this (snowflake ids are digits); other rows of the account partition sort after
    /// it, except the access tokens beside their account row (<see cref="AccountAccessToken"/>), which listings skip by
    /// <see cref="IsAccountRow"/>.
    /// </summary>
    public const string AccountRowsEnd = "~";

    /// <summary>Whether a row key of the account partition is an account row (its id) and not a row beside one.</summary>
    public static bool IsAccountRow(string rowKey) => SnowflakeIds.IsValid(rowKey);

    /// <summary>
    /// An access token that names its account (<c>{accountId}.{secret}</c>, <see cref="OAuth.AccessTokenStore"/>): PK
    /// <c>account</c>, RK <c>{accountId}~</c> + the SHA-256 (hex) of the whole token. Ids are 18 digits and <c>~</c> sorts
    /// after every digit, so the row sits right after its account row and before the next account's: the bearer's token
    /// and account are one range query from <c>{accountId}</c> to this key.
    /// </summary>
    public static (string Pk, string Rk) AccountAccessToken(string accountId, string tokenHashHex) => (AccountPartition, $"{accountId}~{tokenHashHex}");

    /// <summary>
    /// Marks an actor as counted in the account row's <c>FollowersCount</c> or <c>FollowingCount</c> (<paramref name="counter"/>
    /// <c>followers</c> or <c>following</c>): PK <c>account</c> (the account row's own partition, so the count and the mark
    /// change in one entity group transaction), RK <c>~{counter}-{accountId}-</c> + SHA-256 of the other actor id (after
    /// <see cref="AccountRowsEnd"/>, so account listings bounded by it never see it).
    /// </summary>
    public static (string Pk, string Rk) FollowCounted(string accountId, string counter, string actorId) => (AccountPartition, $"~{counter}-{accountId}-{Sha256Hex(actorId)}");

    /// <summary>Username index: PK <c>username</c>, RK the lower-cased username; inserting it is the uniqueness check.</summary>
    public static (string Pk, string Rk) Username(string username) => (UsernamePartition, username.ToLowerInvariant());

    /// <summary>E-mail index, for login by e-mail and uniqueness.</summary>
    public static (string Pk, string Rk) Email(string email) => (EmailPartition, Escape(email.Trim().ToLowerInvariant()));

    /// <summary>Inbox a deleted account's Delete was already enqueued for (account table; makes the deliveries distinct across steps).</summary>
    public static (string Pk, string Rk) DeletionInbox(string accountId, string inbox) => ($"deleted-{accountId}", Sha256Hex(inbox));

    public static (string Pk, string Rk) InstanceActor() => (InstancePartition, InstanceActorRow);

    /// <summary>Read marker of a timeline (<c>home</c>, <c>notifications</c>): PK <c>markers-{accountId}</c>, RK the timeline.</summary>
    public static (string Pk, string Rk) Marker(string accountId, string timeline) => ($"markers-{accountId}", timeline);

    public static string MarkersPartition(string accountId) => $"markers-{accountId}";

    /// <summary>Hashtags featured on a local account's profile: PK <c>featuredtags-{accountId}</c>, RK the lower-cased name.</summary>
    public static string FeaturedTagsPartition(string accountId) => $"featuredtags-{accountId}";

    // remoteactors table

    /// <summary>Remote actor: PK the SHA-256 (hex) of its id (ids can be long and hold forbidden characters), RK <c>actor</c>.</summary>
    public static (string Pk, string Rk) RemoteActor(string actorId) => (Sha256Hex(actorId), "actor");

    /// <summary>keyId index: PK the SHA-256 of the keyId, RK <c>key</c>, pointing at the actor id.</summary>
    public static (string Pk, string Rk) RemoteKey(string keyId) => (Sha256Hex(keyId), "key");

    /// <summary>Account-id index: PK <c>acctid-</c> + the remote account's API id, RK <c>id</c>, pointing at the actor id.</summary>
    public static (string Pk, string Rk) RemoteAccountId(string accountId) => ($"acctid-{accountId}", "id");

    /// <summary>Handle index: PK <c>handle-</c> + SHA-256 of the lower-cased <c>user@domain</c>, RK <c>handle</c>, pointing at the actor WebFinger named.</summary>
    /// <summary>The last accepted <c>Move</c> of an actor (local or remote), in the remote actors table next to its actor row.</summary>
    public static (string Pk, string Rk) ActorMove(string actorId) => (Sha256Hex(actorId), "move");

    public static (string Pk, string Rk) RemoteHandle(string acct) => ($"handle-{Sha256Hex(acct.ToLowerInvariant())}", "handle");

    // followers table

    /// <summary>Follower of a local account: PK the account id, RK the escaped follower actor id (so one server's followers are adjacent).</summary>
    public static (string Pk, string Rk) Follower(string accountId, string followerActorId) => (accountId, Escape(followerActorId));

    /// <summary>Reverse index of <see cref="Follower"/>: PK <c>by-</c> + SHA-256 of the remote actor id, RK the local account id.</summary>
    public static (string Pk, string Rk) FollowedBy(string followerActorId, string accountId) => ($"by-{Sha256Hex(followerActorId)}", accountId);

    public static string FollowedByPartition(string followerActorId) => $"by-{Sha256Hex(followerActorId)}";

    /// <summary>Pending follow request of a locked account: PK <c>req-{accountId}</c>, RK the escaped actor id.</summary>
    public static (string Pk, string Rk) FollowRequest(string accountId, string followerActorId) => ($"req-{accountId}", Escape(followerActorId));

    /// <summary>
    /// A distinct delivery target of a local account's followers (a shared or personal inbox, or <c>local:{accountId}</c>
    /// for a local follower): PK <c>inboxes-{accountId}</c>, RK the SHA-256 (hex) of the target, so the partition splits
    /// into even shards by leading hex digits and a fan-out reads one row per server, not per follower.
    /// </summary>
    public static (string Pk, string Rk) FollowerInbox(string accountId, string target) => (FollowerInboxesPartition(accountId), Sha256Hex(target));

    public static string FollowerInboxesPartition(string accountId) => $"inboxes-{accountId}";

    /// <summary>The row saying the account's inbox set is complete (written by the first fan-out that built it); sorts before every hash.</summary>
    public static (string Pk, string Rk) FollowerInboxesBuilt(string accountId) => (FollowerInboxesPartition(accountId), "!built");

    /// <summary>A follower behind a <see cref="FollowerInbox"/>: PK <c>inboxmembers-{accountId}</c>, RK target hash <c>|</c> follower hash, so one range query tells whether a target has followers left.</summary>
    public static (string Pk, string Rk) FollowerInboxMember(string accountId, string target, string followerActorId) =>
        ($"inboxmembers-{accountId}", $"{Sha256Hex(target)}|{Sha256Hex(followerActorId)}");

    // inboxseen table

    /// <summary>
    /// An inbound activity id accepted in a week (each UTC week has its own table, see <see cref="WeeklyTables"/>): PK the first
    /// hex digit of the id's SHA-256 (a week's inserts spread over 16 partitions), RK the SHA-256 (hex). Inserting it is the
    /// duplicate check.
    /// </summary>
    public static (string Pk, string Rk) InboxSeen(string activityId)
    {
        var hash = Sha256Hex(activityId);
        return (hash[..1], hash);
    }

    /// <summary>The physical-name suffix of the table of the UTC week starting at <paramref name="weekStart"/>: <c>yyyyMMdd</c>.</summary>
    public static string WeekSuffix(DateTimeOffset weekStart) => weekStart.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    // delivery table

    /// <summary>Delivery health of a remote host: PK <c>domain</c>, RK the lower-cased host.</summary>
    public static (string Pk, string Rk) DeliveryDomain(string host) => ("domain", Escape(host.ToLowerInvariant()));

    // statuses table

    /// <summary>A status by id: PK the status id, RK <c>status</c>. Stays as a tombstone after deletion (410 Gone).</summary>
    public static (string Pk, string Rk) Status(string statusId) => (statusId, "status");

    /// <summary>An account's statuses, newest first: PK <c>acct-{accountId}</c>, RK descending status id (a full copy of the row).</summary>
    public static (string Pk, string Rk) AccountStatus(string accountId, string statusId) => ($"acct-{accountId}", Descending(statusId));

    public static string AccountStatusesPartition(string accountId) => $"acct-{accountId}";

    /// <summary>
    /// A favourite or reblog waiting to be counted, in the status's own partition (so its count and its counted marker
    /// change in one entity group transaction): RK <c>pending-{kind}-{escaped actor}</c>, sorting before the status row.
    /// </summary>
    public static (string Pk, string Rk) StatusCountPending(string statusId, string kind, string actorId) => (statusId, $"{StatusCountPendingPrefix}{kind.ToLowerInvariant()}-{Escape(actorId)}");

    /// <summary>A favourite or reblog counted in the status row: RK <c>counted-{kind}-{escaped actor}</c>; its insert is the once-only check.</summary>
    public static (string Pk, string Rk) StatusCounted(string statusId, string kind, string actorId) => (statusId, $"counted-{kind.ToLowerInvariant()}-{Escape(actorId)}");

    /// <summary>RKs from here to the status row (<see cref="Status"/>) are the pending counts and the status itself.</summary>
    public const string StatusCountPendingPrefix = "pending-";

    // following table

    /// <summary>A local account's follow: PK the account id, RK the escaped target actor id.</summary>
    public static (string Pk, string Rk) Following(string accountId, string targetActorId) => (accountId, Escape(targetActorId));

    /// <summary>Reverse index of <see cref="Following"/>: PK <c>of-</c> + SHA-256 of the target actor id, RK the local account id.</summary>
    public static (string Pk, string Rk) FollowingOf(string targetActorId, string accountId) => (FollowingOfPartition(targetActorId), accountId);

    public static string FollowingOfPartition(string targetActorId) => $"of-{Sha256Hex(targetActorId)}";

    /// <summary>Every <see cref="FollowingOfPartition"/>: partition keys from <c>From</c> (inclusive) to <c>To</c> (exclusive).</summary>
    public static (string From, string To) FollowingOfPartitions => ("of-", "of.");

    /// <summary>A block, mute or account note by a local account (kind <c>block</c>, <c>mute</c>, <c>note</c>, or <c>blockedby</c> for remote blocks).</summary>
    public static (string Pk, string Rk) Relation(string kind, string accountId, string targetActorId) => (RelationPartition(kind, accountId), Escape(targetActorId));

    public static string RelationPartition(string kind, string accountId) => $"{kind}-{accountId}";

    /// <summary>A host a local account blocked: PK <c>domainblock-{accountId}</c>, RK the lower-cased host.</summary>
    public static (string Pk, string Rk) DomainBlock(string accountId, string host) => ($"domainblock-{accountId}", Escape(host));

    /// <summary>
    /// The version of a local account's blocks, mutes and domain blocks (<see cref="Federation.HidingVersionStore"/>):
    /// PK <c>hiding-{accountId}</c>, RK <c>version</c>.
    /// </summary>
    public static (string Pk, string Rk) HidingVersion(string accountId) => ($"hiding-{accountId}", "version");

    // timelines table

    /// <summary>A timeline entry: PK the timeline (<c>home-{accountId}</c>, <c>public-local</c>, <c>public-remote</c>, <c>tag-{name}</c>), RK descending status id.</summary>
    public static (string Pk, string Rk) TimelineEntry(string timeline, string statusId) => (timeline, Descending(statusId));

    // interactions table

    /// <summary>Who favourited or reblogged a status: PK <c>{kind}-{statusId}</c>, RK the escaped actor id.</summary>
    public static (string Pk, string Rk) InteractionBy(string kind, string statusId, string actorId) => (InteractionByPartition(kind, statusId), Escape(actorId));

    public static string InteractionByPartition(string kind, string statusId) => $"{kind.ToLowerInvariant()}-{statusId}";

    /// <summary>A local account's mark on a status: PK <c>marks-{accountId}</c>, RK descending status id, <c>-</c>, kind.</summary>
    public static (string Pk, string Rk) Mark(string accountId, string statusId, string kind) => (MarksPartition(accountId), $"{Descending(statusId)}-{kind.ToLowerInvariant()}");

    public static string MarksPartition(string accountId) => $"marks-{accountId}";

    /// <summary>A conversation a local account muted (docs: methods/statuses#mute): PK <c>convmutes-{accountId}</c>, RK the conversation's root status id.</summary>
    public static (string Pk, string Rk) ConversationMute(string accountId, string rootId) => (ConversationMutesPartition(accountId), rootId);

    public static string ConversationMutesPartition(string accountId) => $"convmutes-{accountId}";

    /// <summary>A local account's direct conversation (docs: methods/conversations): PK <c>conversations-{accountId}</c>, RK the conversation's root status id.</summary>
    public static (string Pk, string Rk) Conversation(string accountId, string rootId) => (ConversationsPartition(accountId), rootId);

    public static string ConversationsPartition(string accountId) => $"conversations-{accountId}";

    /// <summary>A hashtag a local account follows: PK <c>tagfollows-{accountId}</c>, RK the lower-case tag.</summary>
    public static (string Pk, string Rk) TagFollow(string accountId, string tag) => ($"tagfollows-{accountId}", tag.ToLowerInvariant());

    /// <summary>The reverse of <see cref="TagFollow"/>, read when a public post with the tag is placed: PK <c>tagfollowers-{tag}</c>, RK the account id.</summary>
    public static (string Pk, string Rk) TagFollower(string tag, string accountId) => ($"tagfollowers-{tag.ToLowerInvariant()}", accountId);

    /// <summary>
    /// A local reply to a status, for its public thread page: PK <c>replies-{parentId}</c>, RK the reply's id (ascending,
    /// so a thread reads oldest first); a full copy of the reply's row, removed when the reply is deleted.
    /// </summary>
    public static (string Pk, string Rk) StatusReply(string parentId, string replyId) => ($"replies-{parentId}", replyId);

    public static string StatusRepliesPartition(string parentId) => $"replies-{parentId}";

    /// <summary>
    /// A previous version of an edited status: PK <c>edits-{statusId}</c>, RK a snowflake drawn at the edit (ascending,
    /// so the history reads oldest first).
    /// </summary>
    public static (string Pk, string Rk) StatusEdit(string statusId, string versionId) => (StatusEditsPartition(statusId), versionId);

    public static string StatusEditsPartition(string statusId) => $"edits-{statusId}";

    /// <summary>ActivityPub id index of remote statuses: PK <c>uri-</c> + SHA-256 of the id, RK <c>uri</c>.</summary>
    public static (string Pk, string Rk) StatusUri(string uri) => ($"uri-{Sha256Hex(uri)}", "uri");

    /// <summary>
    /// An <c>Idempotency-Key</c> of <c>POST /api/v1/statuses</c>: PK <c>idem-{accountId}</c>, RK SHA-256 (hex) of the key
    /// (keys are client-chosen text). Inserting it claims the key; the row then names the status it produced.
    /// </summary>
    public static (string Pk, string Rk) StatusIdempotencyKey(string accountId, string key) => ($"idem-{accountId}", Sha256Hex(key));

    /// <summary>
    /// A status scheduled by a local account (docs: methods/scheduled_statuses): PK <c>sched-{accountId}</c>, RK the
    /// descending scheduled-status id (the account's list reads newest first, as Mastodon pages it by id).
    /// </summary>
    public static (string Pk, string Rk) ScheduledStatus(string accountId, string scheduledStatusId) => (ScheduledStatusesPartition(accountId), Descending(scheduledStatusId));

    public static string ScheduledStatusesPartition(string accountId) => $"sched-{accountId}";

    /// <summary>Scheduled statuses by publication time, for the publishing timer (one partition for the instance).</summary>
    public const string ScheduledDuePartition = "scheduled-due";

    /// <summary>
    /// Due index of a scheduled status: PK <see cref="ScheduledDuePartition"/>, RK the UTC ticks of its time (19 digits)
    /// and its id, so the due ones are the rows below <see cref="ScheduledDueBefore"/>.
    /// </summary>
    public static (string Pk, string Rk) ScheduledDue(DateTimeOffset scheduledAt, string scheduledStatusId) =>
        (ScheduledDuePartition, string.Create(CultureInfo.InvariantCulture, $"{scheduledAt.UtcTicks:D19}-{scheduledStatusId}"));

    /// <summary>Exclusive upper bound of the due-index row keys of statuses scheduled at or before <paramref name="now"/>.</summary>
    public static string ScheduledDueBefore(DateTimeOffset now) => string.Create(CultureInfo.InvariantCulture, $"{now.UtcTicks + 1:D19}");

    // statuses table: polls

    /// <summary>
    /// A poll's partition (<c>poll-{statusId}</c>): its tally row and one row per voter, so that a vote and the tally
    /// change in one entity group transaction.
    /// </summary>
    public static string PollPartition(string statusId) => $"poll-{statusId}";

    /// <summary>The counts of the poll of a status: PK <see cref="PollPartition"/>, RK <c>tally</c>.</summary>
    public static (string Pk, string Rk) PollTally(string statusId) => (PollPartition(statusId), "tally");

    /// <summary>Row keys of a poll's voters start with this; local ones with <see cref="PollLocalVoterPrefix"/>.</summary>
    public const string PollVoterPrefix = "voter-";

    public const string PollLocalVoterPrefix = "voter-local-";

    /// <summary>A voter of a poll: a local account by id, a remote actor by SHA-256 of its id.</summary>
    public static (string Pk, string Rk) PollVoter(string statusId, string? accountId, string? actorId) =>
        (PollPartition(statusId), accountId is not null ? PollLocalVoterPrefix + accountId : $"{PollVoterPrefix}remote-{Sha256Hex(actorId!)}");

    /// <summary>Polls by end time, for the closing timer (one partition for the instance; RK as <see cref="ScheduledDue"/>, read below <see cref="ScheduledDueBefore"/>).</summary>
    public const string PollEndsPartition = "poll-ends";

    public static (string Pk, string Rk) PollEnd(DateTimeOffset endsAt, string statusId) =>
        (PollEndsPartition, string.Create(CultureInfo.InvariantCulture, $"{endsAt.UtcTicks:D19}-{statusId}"));

    /// <summary>A local poll whose new counts are due to go out in an <c>Update</c> (RK the status id: one pending row per poll).</summary>
    public const string PollUpdatesPartition = "poll-updates";

    public static (string Pk, string Rk) PollUpdate(string statusId) => (PollUpdatesPartition, statusId);

    // filters table

    /// <summary>A filter with its keywords and statuses (one row): PK the account id, RK the filter id.</summary>
    public static (string Pk, string Rk) Filter(string accountId, string filterId) => (accountId, filterId);

    // lists table

    /// <summary>A list: PK the owner's account id, RK the list id (one range query lists an account's lists).</summary>
    public static (string Pk, string Rk) List(string accountId, string listId) => (accountId, listId);

    /// <summary>A list member: PK <c>members-{listId}</c>, RK the member's sort key (<c>ListStore</c>: descending account id).</summary>
    public static (string Pk, string Rk) ListMember(string listId, string memberSortKey) => ($"members-{listId}", memberSortKey);

    public static string ListMembersPartition(string listId) => $"members-{listId}";

    /// <summary>Reverse index of <see cref="ListMember"/>: PK <c>in-{ownerId}-{memberAccountId}</c>, RK the list id (which of my lists hold this account).</summary>
    public static (string Pk, string Rk) ListMembership(string ownerAccountId, string memberAccountId, string listId) => ($"in-{ownerAccountId}-{memberAccountId}", listId);

    public static string ListMembershipPartition(string ownerAccountId, string memberAccountId) => $"in-{ownerAccountId}-{memberAccountId}";

    // notifications table

    /// <summary>Notification of a local account, newest first: PK the account id, RK descending notification id.</summary>
    public static (string Pk, string Rk) Notification(string accountId, string notificationId) => (accountId, Descending(notificationId));

    /// <summary>
    /// The id of a notification: snowflake-shaped from the time and 16 bits of a hash of its cause, so ordered by time and
    /// the same for one cause at one millisecond.
    /// </summary>
    public static string NotificationId(DateTimeOffset at, string type, string causeId)
    {
        var seq = BitConverter.ToUInt16(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes($"{type}|{causeId}")), 0);
        return ((at.ToUnixTimeMilliseconds() << 16) | seq).ToString("D18", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Marks a cause (an activity, a status) as notified: PK the account id, RK <c>cause-</c> + SHA-256 of type and cause, so
    /// it sorts after every notification of the partition and is written with its notification in one transaction;
    /// inserting it is the check. (Until issue 12 these rows had a partition <c>cause-{accountId}</c> of their own.)
    /// </summary>
    public static (string Pk, string Rk) NotificationCause(string accountId, string type, string causeId) => (accountId, "cause-" + Sha256Hex($"{type}|{causeId}"));

    /// <summary>The last row key a notification can have (the descending key of id 0): cause rows sort after it.</summary>
    public const string NotificationsEnd = "999999999999999999";

    // media table and container

    public const string UnattachedMediaPartition = "unattached";

    /// <summary>A media attachment: PK the owner's account id (an owner check is the key itself), RK the media id.</summary>
    public static (string Pk, string Rk) MediaAttachment(string accountId, string mediaId) => (accountId, mediaId);

    /// <summary>Uploads not yet attached to a status: PK <c>unattached</c>, RK the media id (time-ordered, so the clean-up reads the oldest first).</summary>
    public static (string Pk, string Rk) UnattachedMedia(string mediaId) => (UnattachedMediaPartition, mediaId);

    /// <summary>
    /// A media file in the <c>media</c> container: <c>{mediaId}/{token}/{variant}.{extension}</c>. The random token keeps
    /// the URLs of followers-only and direct media unguessable; names are never reused, so files are immutable.
    /// </summary>
    public static string MediaBlob(string mediaId, string token, string variant, string extension) => $"{mediaId}/{token}/{variant}.{extension}";

    /// <summary>A video or audio upload as received, in the private <c>uploads</c> container, until the media queue has processed it.</summary>
    public static string MediaUploadBlob(string mediaId) => $"{mediaId}/upload";

    /// <summary>A link's preview card (or the note that it has none) in the <c>media</c> table: PK <c>card-</c> + SHA-256 of the URL, RK <c>card</c>.</summary>
    public static (string Pk, string Rk) LinkCard(string url) => ("card-" + Sha256Hex(url), "card");

    /// <summary>The prefix of card images in the <c>media</c> container, which a lifecycle rule empties after <c>Fedi__CardImageRetentionDays</c>.</summary>
    public const string CardImagePrefix = "cards/";

    /// <summary>A link preview card's image in the <c>media</c> container: <see cref="CardImagePrefix"/> + a <see cref="MediaBlob"/> name.</summary>
    public static string CardImageBlob(string id, string token, string extension) => CardImagePrefix + MediaBlob(id, token, "original", extension);

    /// <summary>Percent-encodes the characters Azure Tables forbid in keys (and <c>%</c> itself) so any string can be a key.</summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c))
            {
                sb.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
