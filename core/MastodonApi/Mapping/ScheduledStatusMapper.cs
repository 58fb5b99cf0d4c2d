using ServerlessFedi.MastodonApi.Entities;

namespace ServerlessFedi.MastodonApi.Mapping;

/// <summary>Scheduled statuses onto the wire (docs: entities/ScheduledStatus).</summary>
public sealed class ScheduledStatusMapper(MediaAttachmentMapper media)
{
    public Entities.ScheduledStatus ToScheduledStatus(Statuses.ScheduledStatus s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var parameters = new ScheduledStatusParams
        {
            Text = s.Text,
            MediaIds = s.Media.Count == 0 ? null : [.. s.Media.Select(m => m.Id)],
            Sensitive = s.Sensitive,
            SpoilerText = s.SpoilerText.Length == 0 ? null : s.SpoilerText,
            Visibility = s.Visibility.ToString().ToLowerInvariant(),
            Language = s.Language,
            InReplyToId = s.InReplyToId,
            Poll = s.Poll is { } poll ? new ScheduledStatusPoll(poll.Options, poll.ExpiresIn, poll.Multiple, poll.HideTotals) : null,
        };
        return new Entities.ScheduledStatus(s.Id, s.ScheduledAt, parameters, [.. s.Media.Select(media.ToMediaAttachment)]);
    }
}
