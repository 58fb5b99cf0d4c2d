namespace ServerlessFedi.Federation;

/// <summary>
/// One page of a fan-out of an activity to a local account's followers. Each page enqueues its deliveries and then
/// the next page's message, so a crash repeats at most one page and never skips one. <see cref="LastInbox"/> is the
/// last inbox delivered by the previous page (rows are ordered by follower id, so followers on one server are adjacent).
/// <see cref="ExtraInboxes"/> are inboxes that receive the activity whether or not they follow (mentions, reply targets);
/// <see cref="SkipFollowers"/> limits delivery to them (direct messages). <see cref="StatusId"/> names the status a
/// Create carries: local followers get it in their home timeline instead of a delivery. The fan-out queue also carries
/// post guards (<see cref="PostGuardMessage"/>). <see cref="Subject"/> names the local status a Create, Update or Delete
/// is about; every delivery carries it on. <see cref="InboxFrom"/> and <see cref="InboxTo"/> name a shard of the sender's
/// inbox set (<see cref="FollowerInboxStore"/>: hashes in [from, to)), paged by <see cref="ContinuationToken"/>; without
/// them, pages go through the follower rows (an account whose inbox set is not built yet; <see cref="Backfill"/> says
/// these pages build it). <see cref="Boost"/>, on the first message of a boost's Announce only, is what the boost of a local
/// status leaves to the queue (<see cref="LocalBoost"/>); the pages after it never carry it. <see cref="Audit"/>, on the
/// first message of a post's Create only, is the posting request's audit row, recorded by that message (the same row
/// however often it runs; the pages after it never carry it).
/// </summary>
public sealed record FanoutMessage(
    string SenderId,
    string? Activity,
    string? PayloadBlob,
    string? ContinuationToken,
    string? LastInbox,
    int Page,
    IReadOnlyList<string>? ExtraInboxes = null,
    bool SkipFollowers = false,
    string? StatusId = null,
    DeliverySubject? Subject = null,
    string? InboxFrom = null,
    string? InboxTo = null,
    bool Backfill = false,
    LocalBoost? Boost = null,
    Team.PendingAudit? Audit = null);
