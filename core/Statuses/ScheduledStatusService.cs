using System.Net;
using Azure;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Accounts;
using ServerlessFedi.Media;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Statuses;

/// <summary>
/// Scheduled statuses (docs: methods/statuses#create <c>scheduled_at</c>, methods/scheduled_statuses): checked as a post
/// is when scheduled, kept with their media reserved, and published by the <c>ScheduledStatusesPublish</c> timer through
/// <see cref="StatusService.CreateAsync"/> at their time, so timelines, public pages and federation see them only then.
/// Publication is exactly once however many instances run the timer: an instance claims a status by a conditional write
/// (ETag) that draws its status id, and every later claim (after <see cref="ClaimTimeout"/>, when the claimer died) keeps
/// that id, so the status row's insert refuses a second publication. The time is unbounded (no queue delay is involved).
/// </summary>
public sealed class ScheduledStatusService(
    ScheduledStatusStore store,
    StatusService posting,
    StatusStore statuses,
    MediaService media,
    AccountStore accounts,
    SnowflakeIds ids,
    TimeProvider time,
    ILogger<ScheduledStatusService> logger)
{
    /// <summary>How far ahead a status must be scheduled (Mastodon's <c>PostStatusService::MIN_SCHEDULE_OFFSET</c>).</summary>
    public static readonly TimeSpan MinimumOffset = TimeSpan.FromMinutes(5);

    /// <summary>Scheduled statuses an account may hold (Mastodon's <c>ScheduledStatus::TOTAL_LIMIT</c>).</summary>
    public const int TotalLimit = 300;

    /// <summary>Scheduled statuses an account may hold for one UTC day (Mastodon's <c>ScheduledStatus::DAILY_LIMIT</c>).</summary>
    public const int DailyLimit = 25;

    /// <summary>A claim older than this belongs to an instance that died while publishing; another may take it over.</summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Mastodon's refusal of a time less than <see cref="MinimumOffset"/> ahead (config/locales/en.yml, scheduled_statuses.too_soon).</summary>
    public const string TooSoon = "Validation failed: Scheduled at The scheduled date must be in the future";

    private const int DuePageSize = 100;
    private const int DueMaxPages = 10;

    /// <summary>
    /// Schedules <paramref name="request"/> for <paramref name="scheduledAt"/>: the text and reply target are checked now,
    /// the media reserved (claimed with this status's id and out of the clean-up's index). Storage: 1 range query (the
    /// account's limits) + the check (1 read for a reply) + 2 inserts; per upload 1 read + 1 conditional replace + 1 delete.
    /// </summary>
    public async Task<ScheduledStatusResult> ScheduleAsync(LocalAccount author, NewStatus request, DateTimeOffset scheduledAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(author);
        ArgumentNullException.ThrowIfNull(request);
        if (await CheckTimeAsync(author.Id, null, scheduledAt, cancellationToken) is { } refusedTime)
        {
            return refusedTime;
        }

        var (_, refusal) = await posting.CheckAsync(author, request, cancellationToken);
        if (refusal is not null)
        {
            return new ScheduledStatusResult(null, refusal.Error, refusal.Message);
        }

        var id = ids.Next();
        var (reserved, mediaError) = await media.AttachAsync(author, request.MediaIds, id, cancellationToken);
        if (mediaError is not null)
        {
            return ScheduledStatusResult.Invalid(mediaError);
        }

        var scheduled = new ScheduledStatus
        {
            Id = id,
            AccountId = author.Id,
            ScheduledAt = scheduledAt.ToUniversalTime(),
            Text = (request.Text ?? "").Trim(),
            Visibility = request.Visibility,
            SpoilerText = (request.SpoilerText ?? "").Trim(),
            Sensitive = request.Sensitive,
            Language = string.IsNullOrEmpty(request.Language) ? null : request.Language,
            InReplyToId = string.IsNullOrEmpty(request.InReplyToId) ? null : request.InReplyToId,
            ApplicationName = request.ApplicationName,
            Media = reserved,
            Poll = request.Poll,
        };
        await store.AddAsync(scheduled, cancellationToken);
        await media.CompleteAttachAsync(reserved, cancellationToken);
        return ScheduledStatusResult.Ok(scheduled);
    }

    /// <summary>The account's scheduled status (1 point read); null when unknown, another account's, or being published.</summary>
    public async Task<ScheduledStatus?> GetAsync(string accountId, string id, CancellationToken cancellationToken) =>
        await store.GetAsync(accountId, id, cancellationToken) is { Scheduled.StatusId: null } found ? found.Scheduled : null;

    /// <summary>A page of the account's scheduled statuses, newest first (1 range query); those being published are left out.</summary>
    public async Task<IReadOnlyList<ScheduledStatus>> ListAsync(string accountId, string? maxId, string? sinceId, string? minId, int limit, CancellationToken cancellationToken) =>
        [.. (await store.ListAsync(accountId, maxId, sinceId, minId, limit, cancellationToken)).Where(s => s.StatusId is null)];

    /// <summary>Moves a scheduled status to another time, with the checks of scheduling. Storage: 1 read + 1 range query + 1 conditional replace + 1 insert + 1 delete.</summary>
    public async Task<ScheduledStatusResult> RescheduleAsync(string accountId, string id, DateTimeOffset scheduledAt, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(accountId, id, cancellationToken) is not { Scheduled.StatusId: null } found)
        {
            return ScheduledStatusResult.NotFound();
        }

        if (await CheckTimeAsync(accountId, id, scheduledAt, cancellationToken) is { } refusedTime)
        {
            return refusedTime;
        }

        return await store.RescheduleAsync(found.Scheduled, found.ETag, scheduledAt.ToUniversalTime(), cancellationToken) is { } moved
            ? ScheduledStatusResult.Ok(moved)
            : ScheduledStatusResult.NotFound();
    }

    /// <summary>Cancels a scheduled status; its media are unattached again. Storage: 1 read + 2 deletes + per upload 1 read + 1 conditional replace + 1 upsert.</summary>
    public async Task<bool> CancelAsync(string accountId, string id, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(accountId, id, cancellationToken) is not { Scheduled.StatusId: null } found
            || !await store.DeleteAsync(found.Scheduled, found.ETag, cancellationToken))
        {
            return false;
        }

        await media.ReleaseReservedAsync(accountId, found.Scheduled.Media, id, cancellationToken);
        return true;
    }

    /// <summary>
    /// The timer's work: publishes every status due by now, earliest first, at most 1,000 per run (the next run, a minute
    /// later, continues). Returns how many were published. Storage per due status: 1 range query per 100 + 1 read + 1
    /// conditional replace (claim) + 1-2 reads (account, status id) + posting + 2 deletes.
    /// </summary>
    public async Task<int> PublishDueAsync(CancellationToken cancellationToken)
    {
        var published = 0;
        for (var page = 0; page < DueMaxPages; page++)
        {
            var due = await store.ListDueAsync(time.GetUtcNow(), DuePageSize, cancellationToken);
            foreach (var (accountId, id, dueAt) in due)
            {
                if (await PublishAsync(accountId, id, dueAt, cancellationToken))
                {
                    published++;
                }
            }

            if (due.Count < DuePageSize)
            {
                break;
            }
        }

        return published;
    }

    private async Task<bool> PublishAsync(string accountId, string id, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var found = await store.GetAsync(accountId, id, cancellationToken);
        if (found is not { } current || current.Scheduled.ScheduledAt != dueAt)
        {
            // Cancelled, published, or moved (its own due row stands for the new time).
            await store.DeleteDueAsync(dueAt, id, cancellationToken);
            return false;
        }

        var (scheduled, etag) = current;
        if (scheduled.StatusId is not null && now - (scheduled.ClaimedAt ?? DateTimeOffset.MinValue) < ClaimTimeout)
        {
            return false;
        }

        if (await store.TryClaimAsync(scheduled, etag, scheduled.StatusId ?? ids.Next(), now, cancellationToken) is not { StatusId: { } statusId } claimed)
        {
            return false;
        }

        var author = await accounts.GetByIdAsync(accountId, cancellationToken);
        if (author is null || author.DeletedAt is not null)
        {
            await store.DeleteAsync(claimed, null, cancellationToken);
            return false;
        }

        StatusResult result;
        if (await statuses.GetAsync(statusId, cancellationToken) is { } stored)
        {
            // Stored by a claimer that died before deleting this row; its post guard finishes the distribution.
            result = StatusResult.Ok(stored);
        }
        else
        {
            try
            {
                result = await posting.CreateAsync(author, claimed.ToNewStatus(), cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
            {
                // A claimer thought dead stored it meanwhile: the insert of the same id refused this second one.
                await store.DeleteAsync(claimed, null, cancellationToken);
                return false;
            }
        }

        if (result.Status is null)
        {
            // As Mastodon, a status that can no longer be posted (its reply target deleted, say) is dropped.
            logger.LogWarning("Scheduled status {ScheduledStatusId} of {AccountId} dropped at its time: {Reason}", id, accountId, result.Message);
            await media.ReleaseReservedAsync(accountId, claimed.Media, id, cancellationToken);
        }

        await store.DeleteAsync(claimed, null, cancellationToken);
        return result.Status is not null;
    }

    /// <summary>Mastodon's checks of a time: at least <see cref="MinimumOffset"/> ahead, and the account's limits (excluding <paramref name="movingId"/>).</summary>
    private async Task<ScheduledStatusResult?> CheckTimeAsync(string accountId, string? movingId, DateTimeOffset scheduledAt, CancellationToken cancellationToken)
    {
        if (scheduledAt <= time.GetUtcNow() + MinimumOffset)
        {
            return new ScheduledStatusResult(null, Errors.ServiceError.Invalid, TooSoon);
        }

        var others = (await store.ListTimesAsync(accountId, cancellationToken)).Where(s => s.Id != movingId).ToList();
        if (movingId is null && others.Count >= TotalLimit)
        {
            return ScheduledStatusResult.Invalid($"Validation failed: You have exceeded the limit of {TotalLimit} scheduled posts");
        }

        var day = scheduledAt.UtcDateTime.Date;
        return others.Count(s => s.ScheduledAt.UtcDateTime.Date == day) >= DailyLimit
            ? ScheduledStatusResult.Invalid($"Validation failed: You have exceeded the limit of {DailyLimit} scheduled posts for today")
            : null;
    }
}
