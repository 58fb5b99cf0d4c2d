using Microsoft.Extensions.Logging;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Media;

/// <summary>
/// The media clean-up timer's work: deletes uploads older than <see cref="MediaLimits.UnattachedLifetime"/> that no stored
/// status holds, and media a deleted status left for "delete and redraft" once that lifetime has passed since the deletion.
/// An index row whose media a live status or a scheduled status holds (a crash between storing it and leaving the index) is
/// only removed. Storage per index row: 1 point read (+1 status read and, for scheduled media, 1 more) + the deletion
/// (files, row and index row) or 1 index delete; 1 range query per page.
/// </summary>
public sealed class MediaCleanUp(MediaStore store, StatusStore statuses, ScheduledStatusStore scheduled, TimeProvider time, ILogger<MediaCleanUp> logger)
{
    /// <summary>Index rows the clean-up handles per page, and pages per run (a run is bounded; the next one continues).</summary>
    private const int PageSize = 100;
    private const int MaxPages = 10;

    /// <summary>Runs one bounded pass; returns how many uploads were deleted.</summary>
    public async Task<int> CleanUpAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cutoff = now - MediaLimits.UnattachedLifetime;
        var deleted = 0;
        string? after = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var rows = await store.GetUnattachedBeforeAsync(cutoff, after, PageSize, cancellationToken);
            foreach (var (mediaId, accountId) in rows)
            {
                after = mediaId;
                var found = await store.GetAsync(accountId, mediaId, cancellationToken);
                if (found is { Media.StatusId: { } statusId }
                    && (await statuses.GetAsync(statusId, cancellationToken) is { DeletedAt: null } || await scheduled.ExistsAsync(accountId, statusId, cancellationToken)))
                {
                    await store.RemoveFromUnattachedAsync(mediaId, cancellationToken);
                    continue;
                }

                if (found is { Media: { StatusId: null, DetachedAt: { } detachedAt } } && detachedAt > cutoff)
                {
                    // Kept for a redraft until its own lifetime ends; a later run deletes it.
                    continue;
                }

                if (found is { } media)
                {
                    await store.DeleteAsync(media.Media, cancellationToken);
                }
                else
                {
                    await store.DeleteOrphanAsync(mediaId, cancellationToken);
                }

                deleted++;
            }

            if (rows.Count < PageSize)
            {
                break;
            }
        }

        if (deleted > 0)
        {
            logger.LogInformation("Deleted {Count} unattached media uploads older than {Cutoff}", deleted, cutoff);
        }

        return deleted;
    }
}
