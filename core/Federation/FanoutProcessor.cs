using Microsoft.Extensions.Logging;

namespace ServerlessFedi.Federation;

/// <summary>
/// Fans an activity out to a local account's followers: one delivery per distinct inbox (a shared inbox when the
/// follower's server has one), home timelines for local followers and, on a post's first message, the post's own
/// timelines (<see cref="Statuses.StatusSurface.PlaceLocalTimelinesAsync"/>: the author's home, <c>public-local</c>, its
/// hashtags' and their local followers' homes). N followers on D servers read D rows of the inbox
/// set (<see cref="FollowerInboxStore"/>), not N: the first message reads the first 1,000 and, when there are more,
/// splits the rest into <see cref="Shards"/> messages by hash range that run at once, each paging through its range.
/// Every message enqueues its deliveries before its follow-up messages, so a crash repeats a page and never skips one; a
/// failing page is retried by the queue and ends in <c>fanout-poison</c>, where <c>admin queues</c> shows and replays it.
/// An account whose inbox set is not built yet fans out over its follower rows once and builds it on the way.
/// Every message delivers to its page's inboxes itself (<see cref="DeliveryProcessor"/>: signed, re-checked, a failure
/// queues its retry as a delivery message would), up to <see cref="InFlightPerCore"/> POSTs per core in flight in the
/// process, so a post reaches its inboxes one queue hop after it is made and a delivery costs no queue transactions of its
/// own. A crash part way repeats the page; deliveries already made may then be repeated (receivers de-duplicate by
/// activity id, and this process skips what <see cref="DeliveredLedger"/> recorded).
/// The first message of a local boost's Announce applies the boost's effects first (<see cref="FanoutMessage.Boost"/>,
/// <see cref="Statuses.InteractionEffects.ApplyBoostAsync"/>, idempotent); the pages after it do not carry them.
/// Storage per page of up to 1,000 targets: 1 range query + the follow-up sends (+ one queue send per failed delivery);
/// the first message + 1 read (is the set built?) + 1 status read for a Create (+ the boost's effects); a follower-row page + 1 transaction per 100 rows it records.
/// </summary>
public sealed class FanoutProcessor(FollowerStore followers, Statuses.StatusStore statuses, Statuses.StatusSurface surface, Statuses.InteractionEffects effects, Team.AuditStore audits, WorkQueue queue, TimeProvider time, ILogger<FanoutProcessor> logger, DeliveryProcessor? deliveries = null) : IDisposable
{
    /// <summary>
    /// POSTs in flight at once per core, across all fan-out messages this process runs (without <c>deliveries</c>, as in the
    /// tests that count the queue's messages, every delivery is queued instead). A delivery spends about 1 ms of CPU
    /// (0.4 ms of it the RSA signature) and then waits on the remote server for tens to hundreds of milliseconds, so about
    /// this many in flight keep a core busy with servers answering within 64 ms, and bound sockets and memory when they do
    /// not. Each is a first attempt as the delivery queue's would be: a failure queues its retry, and a delivery that throws
    /// is queued instead, so it never fails the fan-out.
    /// </summary>
    public const int InFlightPerCore = 64;

    /// <summary>Messages the rest of a large fan-out is split into.</summary>
    public const int Shards = 8;

    /// <summary>Bounds of the whole hash range (lower-case hex): every target's key lies in [<see cref="AllFrom"/>, <see cref="AllTo"/>).</summary>
    private const string AllFrom = "0";
    private const string AllTo = "g";

    /// <summary>Queue sends in flight at once while enqueuing a page's deliveries.</summary>
    private const int SendConcurrency = 16;

    /// <summary>Bounds the POSTs of every message this process runs together (<see cref="InFlightPerCore"/>).</summary>
    private readonly SemaphoreSlim _inFlight = new(InFlightPerCore * Environment.ProcessorCount);

    public void Dispose() => _inFlight.Dispose();

    public async Task ProcessAsync(FanoutMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Boost is not null)
        {
            await effects.ApplyBoostAsync(message, cancellationToken);
            message = message with { Boost = null };
        }

        var extras = message.Page == 0 ? message.ExtraInboxes ?? [] : [];
        if (message.Page == 0 && message.InboxFrom is null)
        {
            await ApplyPostAsync(message, cancellationToken);
            message = message with { Audit = null };
        }

        if (message.SkipFollowers)
        {
            await DeliverAsync(message, extras.Distinct(StringComparer.Ordinal).ToList(), [], cancellationToken);
            return;
        }

        if (message.InboxFrom is null && (message.Page > 0 || !await followers.Inboxes.IsBuiltAsync(message.SenderId, cancellationToken)))
        {
            await FollowerPageAsync(message with { Backfill = message.Backfill || message.Page == 0 }, extras, cancellationToken);
            return;
        }

        var (from, to) = (message.InboxFrom ?? AllFrom, message.InboxTo ?? AllTo);
        var (targets, next) = await followers.Inboxes.GetPageAsync(message.SenderId, from, to, message.ContinuationToken, cancellationToken: cancellationToken);
        var inboxes = new HashSet<string>(extras, StringComparer.Ordinal);
        inboxes.UnionWith(targets.Where(t => t.Inbox is not null).Select(t => t.Inbox!));
        await DeliverAsync(message, [.. inboxes], [.. targets.Where(t => t.LocalAccountId is not null).Select(t => t.LocalAccountId!)], cancellationToken);
        logger.LogInformation("Fan-out of {Sender} over [{From}, {To}) page {Page}: {Targets} targets", message.SenderId, from, to, message.Page, targets.Count);
        if (next is null)
        {
            return;
        }

        var more = message with { ExtraInboxes = null, Page = message.Page + 1 };
        if (message.InboxFrom is not null)
        {
            await queue.SendFanoutAsync(more with { ContinuationToken = next }, cancellationToken);
            return;
        }

        // The first page of a large fan-out: the rest runs as shards at once, each from the start of its range.
        await Parallel.ForEachAsync(SplitAfter(targets[^1].Key, Shards), cancellationToken, async (shard, ct) =>
            await queue.SendFanoutAsync(more with { ContinuationToken = null, InboxFrom = shard.From, InboxTo = shard.To }, ct));
    }

    /// <summary>
    /// The hash range after <paramref name="lastKey"/> (a 64-digit hex key) cut into up to <paramref name="count"/> ranges
    /// at two-digit prefixes, evenly by prefix. A key after <paramref name="lastKey"/> sorts at or after <c>lastKey + "!"</c>.
    /// </summary>
    public static IReadOnlyList<(string From, string To)> SplitAfter(string lastKey, int count)
    {
        ArgumentNullException.ThrowIfNull(lastKey);
        var first = Convert.ToInt32(lastKey[..2], 16) + 1;
        var bounds = new List<string> { lastKey + "!" };
        for (var i = 1; i < count; i++)
        {
            var prefix = first + (i * (256 - first) / count);
            if (prefix < 256 && string.CompareOrdinal(prefix.ToString("x2", System.Globalization.CultureInfo.InvariantCulture), bounds[^1]) > 0)
            {
                bounds.Add(prefix.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        bounds.Add(AllTo);
        return [.. bounds.Zip(bounds.Skip(1))];
    }

    /// <summary>A page of follower rows (an account whose inbox set is not built): its distinct inboxes, recorded in the set.</summary>
    private async Task FollowerPageAsync(FanoutMessage message, IReadOnlyList<string> extras, CancellationToken cancellationToken)
    {
        var page = await followers.GetPageAsync(message.SenderId, message.ContinuationToken, cancellationToken: cancellationToken);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (message.LastInbox is not null)
        {
            seen.Add(message.LastInbox);
        }

        var inboxes = extras.Where(seen.Add).ToList();
        inboxes.AddRange(page.Followers.Where(f => f.LocalAccountId is null).Select(f => f.DeliveryInbox).Where(seen.Add));
        await DeliverAsync(message, inboxes, [.. page.Followers.Where(f => f.LocalAccountId is not null).Select(f => f.LocalAccountId!)], cancellationToken);
        if (message.Backfill)
        {
            await followers.Inboxes.AddManyAsync(message.SenderId, page.Followers, cancellationToken);
        }

        logger.LogInformation("Fan-out page {Page} for {Sender}: {Followers} followers, {Inboxes} deliveries", message.Page, message.SenderId, page.Followers.Count, inboxes.Count);

        // Only after every delivery of this page is enqueued: a crash before this line repeats this page, never skips it.
        if (page.ContinuationToken is not null)
        {
            var last = page.Followers.Count > 0 ? page.Followers[^1].DeliveryInbox : message.LastInbox;
            await queue.SendFanoutAsync(message with { ContinuationToken = page.ContinuationToken, LastInbox = last, Page = message.Page + 1, ExtraInboxes = null }, cancellationToken);
        }
        else if (message.Backfill)
        {
            await followers.Inboxes.MarkBuiltAsync(message.SenderId, cancellationToken);
        }
    }

    /// <summary>
    /// One delivery per inbox, made here (enqueued when this processor has no <see cref="DeliveryProcessor"/>), and, at the
    /// same time, a Create's status in the local followers' home timelines.
    /// </summary>
    private async Task DeliverAsync(FanoutMessage message, List<string> inboxes, IReadOnlyList<string> localFollowers, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var remote = deliveries is null
            ? Parallel.ForEachAsync(inboxes, new ParallelOptions { MaxDegreeOfParallelism = SendConcurrency, CancellationToken = cancellationToken }, async (inbox, ct) =>
                await queue.SendDeliveryAsync(Delivery(message, inbox, now), null, ct))
            : Task.WhenAll(inboxes.Select(inbox => DeliverNowAsync(Delivery(message, inbox, now), cancellationToken)));
        await Task.WhenAll(remote, PlaceInHomesAsync(message, localFollowers, cancellationToken));
    }

    /// <summary>Local followers: the post goes into their home timeline and lists (idempotent upserts, so a repeated page is harmless).</summary>
    private async Task PlaceInHomesAsync(FanoutMessage message, IReadOnlyList<string> localFollowers, CancellationToken cancellationToken)
    {
        if (message.StatusId is not null && localFollowers.Count > 0 && await statuses.GetAsync(message.StatusId, cancellationToken) is { DeletedAt: null } status)
        {
            await Parallel.ForEachAsync(localFollowers, new ParallelOptions { MaxDegreeOfParallelism = SendConcurrency, CancellationToken = cancellationToken }, async (accountId, ct) =>
                await surface.PlaceInHomeAsync(accountId, status, ct));
        }
    }

    private static DeliveryMessage Delivery(FanoutMessage message, string inbox, DateTimeOffset now) =>
        new(message.SenderId, inbox, message.Activity, message.PayloadBlob, 1, now, message.Subject);

    /// <summary>A delivery made now (<see cref="DeliveryProcessor.DeliverNowAsync"/>), within the process's bound of POSTs in flight.</summary>
    private async Task DeliverNowAsync(DeliveryMessage delivery, CancellationToken cancellationToken)
    {
        await _inFlight.WaitAsync(cancellationToken);
        try
        {
            await deliveries!.DeliverNowAsync(delivery, cancellationToken);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    /// <summary>
    /// What the first message of a post's fan-out does before the fan-out proper, each step idempotent however often the
    /// message runs: the request's audit row it carries (<see cref="FanoutMessage.Audit"/>), recorded once; then, unless
    /// the post was deleted meanwhile, the post's timelines, none of which the request's answer shows
    /// (<see cref="Statuses.StatusSurface.PlaceLocalTimelinesAsync"/>: its author's home, and for a public post
    /// <c>public-local</c>, its hashtags' timelines and the homes of the local accounts following them). A post deleted
    /// after this read may still be placed: timeline readers skip deleted statuses. Storage: 1 insert when it carries the
    /// row + 1 read of the status + 1 upsert (the author's home) + 1 upsert (<c>public-local</c>) for a public post + per
    /// hashtag what <see cref="Statuses.StatusSurface.PlaceLocalTimelinesAsync"/> costs.
    /// </summary>
    private async Task ApplyPostAsync(FanoutMessage message, CancellationToken cancellationToken)
    {
        if (message.Audit is { } audit)
        {
            await audits.RecordAsync(audit, cancellationToken);
        }

        if (message.StatusId is { } statusId && await statuses.GetAsync(statusId, cancellationToken) is { DeletedAt: null, IsLocal: true } status
            && status.AccountId == message.SenderId)
        {
            await surface.PlaceLocalTimelinesAsync(status, cancellationToken);
        }
    }
}
