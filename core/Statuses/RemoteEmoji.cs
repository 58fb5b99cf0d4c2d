namespace ServerlessFedi.Statuses;

/// <summary>A custom emoji a remote note uses (an ActivityStreams <c>Emoji</c> tag): <c>:shortcode:</c> and its image URL.</summary>
public sealed record RemoteEmoji(string Shortcode, string Url);
