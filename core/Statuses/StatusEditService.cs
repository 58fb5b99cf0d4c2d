using ServerlessFedi.Accounts;
using ServerlessFedi.Media;

namespace ServerlessFedi.Statuses;

/// <summary>
/// Editing a local status by its author (docs: methods/statuses#edit): the same validation and formatting as posting;
/// the version being replaced is kept for <c>/history</c>; both status rows are rewritten; the <see cref="StatusSurface"/>
/// places new hashtags and notifies new mentions and local boosters; then <c>Update(Note)</c> goes to the audience of the
/// Create (followers and mentioned inboxes). Visibility and the reply target never change.
/// Storage: 1 read + 1 insert (version) + 2-3 upserts (rows) + media claims + per redescribed attachment 1 read + 1
/// conditional replace + the surface's (1 range query for boosters, a
/// notification each) + 1 queue send.
/// </summary>
public sealed class StatusEditService(
    StatusComposer composer,
    StatusStore statuses,
    StatusEditStore edits,
    StatusPublisher publisher,
    StatusSurface surface,
    MediaService media,
    TimeProvider time)
{
    public async Task<StatusResult> EditAsync(LocalAccount author, string statusId, StatusEditRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(author);
        ArgumentNullException.ThrowIfNull(request);
        var status = await statuses.GetAsync(statusId, cancellationToken);
        if (status is null || status.DeletedAt is not null || status.AccountId != author.Id || !status.IsLocal)
        {
            return StatusResult.NotFound("Record not found");
        }

        var text = (request.Text ?? "").Trim();
        // As Mastodon's edit: spoiler_text and sensitive left out are cleared (apps send the whole state), language kept.
        var spoiler = (request.SpoilerText ?? "").Trim();
        var language = request.Language is null ? status.Language : request.Language.Length == 0 ? null : request.Language;

        // media_ids left out keeps the attachments; given, it is the new list: kept ones by id, new ones claimed.
        var wanted = request.MediaIds?.Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).ToList();
        if (wanted is { Count: > MediaLimits.MaxAttachmentsPerStatus })
        {
            return StatusResult.Invalid($"Validation failed: a status holds at most {MediaLimits.MaxAttachmentsPerStatus} media attachments");
        }

        if (StatusComposer.Validate(text, spoiler, (wanted?.Count ?? status.Media.Count) > 0, language) is { } invalid)
        {
            return StatusResult.Invalid(invalid);
        }

        var (formatted, mentions) = await composer.FormatAsync(text, cancellationToken);
        IReadOnlyList<MediaAttachment> attachments = status.Media;
        IReadOnlyList<MediaAttachment> claimed = [];
        if (wanted is not null)
        {
            var kept = status.Media.ToDictionary(m => m.Id, StringComparer.Ordinal);
            var (added, mediaError) = await media.AttachAsync(author, wanted.Where(id => !kept.ContainsKey(id)).ToList(), status.Id, cancellationToken);
            if (mediaError is not null)
            {
                return StatusResult.Invalid(mediaError);
            }

            claimed = added;
            var byId = added.ToDictionary(m => m.Id, StringComparer.Ordinal);
            attachments = wanted.Select(id => kept.TryGetValue(id, out var k) ? k : byId[id]).ToList();
        }

        // media_attributes fix alt texts and focal points of what the status ends up holding (a wrong alt text must be fixable).
        var (described, attributesError) = MediaAttributes.Apply(attachments, request.MediaAttributes);
        if (attributesError is not null)
        {
            return StatusResult.Invalid(attributesError);
        }

        var redescribed = described.Where((m, i) => MediaAttributes.Differ(m, attachments[i])).ToList();
        attachments = described;
        var sensitive = (request.Sensitive ?? false) || spoiler.Length > 0;
        if (claimed.Count == 0 && redescribed.Count == 0 && text == status.Text && spoiler == status.SpoilerText && sensitive == status.Sensitive && language == status.Language
            && attachments.Select(m => m.Id).SequenceEqual(status.Media.Select(m => m.Id), StringComparer.Ordinal))
        {
            // Nothing changed: no version, no edited_at, no Update (as Mastodon skips an unchanged edit).
            return StatusResult.Ok(status);
        }

        var now = time.GetUtcNow();
        var updated = status with
        {
            Text = text,
            ContentHtml = formatted.Html,
            SpoilerText = spoiler,
            Sensitive = sensitive,
            Language = language,
            Mentions = mentions.DistinctBy(m => m.ActorId).ToList(),
            Tags = formatted.Tags,
            Media = attachments,
            EditedAt = now,
        };

        // The old version is kept before the rows change: a crash in between leaves a duplicate version, never a lost one.
        await edits.AddAsync(status.Id, StatusVersion.Of(status), cancellationToken);
        await statuses.ReplaceAsync(updated, cancellationToken);
        await media.CompleteAttachAsync(claimed, cancellationToken);
        await media.DescribeAttachedAsync(author.Id, status.Id, redescribed, cancellationToken);
        await surface.PlaceEditAsync(status, updated, author, now, cancellationToken);
        await publisher.PublishUpdateAsync(status, updated, author, cancellationToken);
        return StatusResult.Ok(updated);
    }
}
