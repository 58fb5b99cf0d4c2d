namespace ServerlessFedi.Media;

/// <summary>
/// One element of <c>media_attributes[]</c> on <c>PUT /api/v1/statuses/:id</c> (docs: methods/statuses#edit): a new
/// description and/or focal point for an attachment of the edited status; a field left out (null) stays as it was.
/// </summary>
public sealed record MediaAttributes(string Id, string? Description, string? Focus)
{
    /// <summary>The form and JSON field names Mastodon reads (the <c>thumbnail</c> of a video is not changed by an edit here).</summary>
    public static readonly IReadOnlyList<string> Fields = ["id", "description", "focus"];

    /// <summary>
    /// <paramref name="attachments"/> with <paramref name="changes"/> applied, in the same order. Attributes for media the
    /// status does not hold are ignored, as Mastodon ignores them; a too long description or a malformed focus refuses the
    /// whole edit (the 422 message).
    /// </summary>
    public static (IReadOnlyList<MediaAttachment> Media, string? Error) Apply(IReadOnlyList<MediaAttachment> attachments, IReadOnlyList<MediaAttributes>? changes)
    {
        ArgumentNullException.ThrowIfNull(attachments);
        if (changes is not { Count: > 0 })
        {
            return (attachments, null);
        }

        var result = attachments.ToList();
        foreach (var change in changes)
        {
            var index = result.FindIndex(m => m.Id == change.Id);
            if (index < 0)
            {
                continue;
            }

            if (MediaService.ValidateDescription(change.Description) is { } descriptionError)
            {
                return (attachments, descriptionError);
            }

            var (x, y, focusError) = FocalPoint.Parse(change.Focus);
            if (focusError is not null)
            {
                return (attachments, focusError);
            }

            var current = result[index];
            result[index] = current with
            {
                Description = change.Description is null ? current.Description : MediaService.Normalise(change.Description),
                FocusX = change.Focus is null ? current.FocusX : x,
                FocusY = change.Focus is null ? current.FocusY : y,
            };
        }

        return (result, null);
    }

    /// <summary>Whether the description or focal point of <paramref name="a"/> and <paramref name="b"/> (the same attachment) differ.</summary>
    public static bool Differ(MediaAttachment a, MediaAttachment b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Description != b.Description || a.FocusX != b.FocusX || a.FocusY != b.FocusY;
    }
}
