using Microsoft.Extensions.Logging;

namespace ServerlessFedi.Federation;

/// <summary>
/// Pages through a local account's followers and enqueues one delivery per distinct inbox (a shared inbox when the
/// follower's server has one), then the next page. N followers on D servers cost D deliveries, not N.
/// Storage per page of up to 1,000 followers: 1 range query + one queue send per distinct inbox + 1 send for the next page.
/// </summary>
public sealed class FanoutProcessor(FollowerStore followers, Statuses.StatusStore statuses, Statuses.StatusSurface surface, WorkQueue queue, TimeProvider time, ILogger<FanoutProcessor> logger)
{
    /// <summary>Queue sends in flight at once while enqueuing a page's deliveries.</summary>
    private const int SendConcurrency = 16;

    public async Task ProcessAsync(FanoutMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var page = message.SkipFollowers
            ? new FollowerPage([], null)
            : await followers.GetPageAsync(message.SenderId, message.ContinuationToken, cancellationToken: cancellationToken);
        var inboxes = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (message.LastInbox is not null)
        {
            seen.Add(message.LastInbox);
        }

        if (message.Page == 0)
        {
            foreach (var extra in message.ExtraInboxes ?? [])
            {
                if (seen.Add(extra))
                {
                    inboxes.Add(extra);
                }
            }
        }

        var localFollowers = new List<string>();
        foreach (var follower in page.Followers)
        {
            if (follower.LocalAccountId is not null)
            {
                localFollowers.Add(follower.LocalAccountId);
                continue;
            }

            if (seen.Add(follower.DeliveryInbox))
            {
                inboxes.Add(follower.DeliveryInbox);
            }
        }

        var now = time.GetUtcNow();
        await Parallel.ForEachAsync(inboxes, new ParallelOptions { MaxDegreeOfParallelism = SendConcurrency, CancellationToken = cancellationToken }, async (inbox, ct) =>
            await queue.SendDeliveryAsync(new DeliveryMessage(message.SenderId, inbox, message.Activity, message.PayloadBlob, 1, now), null, ct));
        if (message.StatusId is not null && localFollowers.Count > 0 && await statuses.GetAsync(message.StatusId, cancellationToken) is { DeletedAt: null } status)
        {
            // Local followers: the post goes into their home timeline and lists (idempotent upserts, so a repeated page is harmless).
            await Parallel.ForEachAsync(localFollowers, new ParallelOptions { MaxDegreeOfParallelism = SendConcurrency, CancellationToken = cancellationToken }, async (accountId, ct) =>
                await surface.PlaceInHomeAsync(accountId, status, ct));
        }

        logger.LogInformation("Fan-out page {Page} for {Sender}: {Followers} followers, {Inboxes} deliveries", message.Page, message.SenderId, page.Followers.Count, inboxes.Count);

        // Only after every delivery of this page is enqueued: a crash before this line repeats this page, never skips it.
        if (page.ContinuationToken is not null)
        {
            var last = page.Followers.Count > 0 ? page.Followers[^1].DeliveryInbox : message.LastInbox;
            await queue.SendFanoutAsync(message with { ContinuationToken = page.ContinuationToken, LastInbox = last, Page = message.Page + 1, ExtraInboxes = null }, cancellationToken);
        }
    }
}
