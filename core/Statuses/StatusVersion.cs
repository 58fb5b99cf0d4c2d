namespace ServerlessFedi.Statuses;

/// <summary>One version of a status as its history shows it (docs: entities/StatusEdit); <see cref="CreatedAt"/> is when it was written.</summary>
public sealed record StatusVersion(
    string Text,
    string ContentHtml,
    string SpoilerText,
    bool Sensitive,
    string? Language,
    IReadOnlyList<ServerlessFedi.Media.MediaAttachment> Media,
    DateTimeOffset CreatedAt)
{
    /// <summary>The version a status shows now: written at its last edit, or at creation.</summary>
    public static StatusVersion Of(Status status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new(status.Text, status.ContentHtml, status.SpoilerText, status.Sensitive, status.Language, status.Media, status.EditedAt ?? status.CreatedAt);
    }
}
