using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Media;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Federation;

/// <summary>
/// The statuses and marks of a deleted account, a page per step of <see cref="AccountDeletion"/>: statuses become
/// tombstones (a local account's media go with them), favourites and boosts are taken back (counts drop), bookmarks and
/// pins dropped. Storage: per status about 5-8 transactions; per mark 2-3 (+ the count for favourites and boosts).
/// </summary>
public sealed class AccountContentRemoval(StatusStore statuses, StatusEditStore edits, MediaService media, InteractionStore interactions, InstanceUrls urls, TimeProvider time)
{
    /// <summary>
    /// Marks the first page of the account's statuses deleted (each answers 410 from then on) and removes their media;
    /// marking removes the account's copy, so the next page starts at the top again. True when a full page was handled.
    /// </summary>
    public async Task<bool> RemoveStatusesAsync(string apiAccountId, bool local, CancellationToken cancellationToken)
    {
        var page = await statuses.GetAccountStatusesAsync(apiAccountId, null, AccountDeletion.StatusesPerStep, cancellationToken);
        var now = time.GetUtcNow();
        foreach (var status in page)
        {
            if (local)
            {
                // Media an edit removed is still held by an older version (as StatusService.DeleteAsync).
                var held = status.Media.ToList();
                if (status.EditedAt is not null)
                {
                    foreach (var version in await edits.ListAsync(status.Id, cancellationToken))
                    {
                        held.AddRange(version.Media.Where(m => held.TrueForAll(h => h.Id != m.Id)));
                    }
                }

                await media.DeleteForStatusAsync(status with { Media = held }, cancellationToken);
            }

            if (status.DeletedAt is null && status.InReplyToId is { } parentId)
            {
                await statuses.AdjustCountsAsync(parentId, replies: -1, cancellationToken: cancellationToken);
            }

            await statuses.MarkDeletedAsync(status, status.DeletedAt ?? now, cancellationToken);
        }

        return page.Count >= AccountDeletion.StatusesPerStep;
    }

    /// <summary>Takes back the account's favourites and boosts (counts drop) and drops its bookmarks and pins; a page per step.</summary>
    public async Task<bool> RemoveMarksAsync(LocalAccount account, CancellationToken cancellationToken)
    {
        var actor = urls.Actor(account.Username);
        foreach (var kind in new[] { InteractionKind.Favourite, InteractionKind.Reblog, InteractionKind.Bookmark, InteractionKind.Pin })
        {
            var ids = await interactions.ListMarkedAsync(account.Id, kind, null, AccountDeletion.MarksPerStep, cancellationToken);
            foreach (var statusId in ids)
            {
                var removed = await interactions.RemoveAsync(kind, statusId, actor, account.Id, cancellationToken);
                if (removed && kind is InteractionKind.Favourite or InteractionKind.Reblog)
                {
                    await interactions.Counts.ApplyAsync(statusId, kind, actor, -1, cancellationToken, removedNow: true);
                }
            }

            if (ids.Count >= AccountDeletion.MarksPerStep)
            {
                return true;
            }
        }

        return false;
    }
}
