namespace ServerlessFedi.Statuses;

/// <summary>What a client asks to change with <c>PUT /api/v1/statuses/:id</c>; null keeps the current value (the text is required).</summary>
public sealed record StatusEditRequest(
    string? Text,
    string? SpoilerText = null,
    bool? Sensitive = null,
    string? Language = null,
    IReadOnlyList<string>? MediaIds = null);
