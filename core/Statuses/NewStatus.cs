namespace ServerlessFedi.Statuses;

/// <summary>What a client asks to post (Mastodon's POST /api/v1/statuses parameters we support).</summary>
public sealed record NewStatus(
    string? Text,
    Visibility Visibility = Visibility.Public,
    string? SpoilerText = null,
    bool Sensitive = false,
    string? Language = null,
    string? InReplyToId = null,
    string? ApplicationName = null,
    IReadOnlyList<string>? MediaIds = null);
