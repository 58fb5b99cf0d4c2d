namespace ServerlessFedi.Statuses;

/// <summary>
/// What a client asks to change with <c>PUT /api/v1/statuses/:id</c>. Left out: spoiler text and sensitive are cleared,
/// language and media (null) stay as they are. <see cref="MediaAttributes"/> changes descriptions and focal points of the
/// attachments the edited status ends up with.
/// </summary>
public sealed record StatusEditRequest(
    string? Text,
    string? SpoilerText = null,
    bool? Sensitive = null,
    string? Language = null,
    IReadOnlyList<string>? MediaIds = null,
    IReadOnlyList<Media.MediaAttributes>? MediaAttributes = null);
