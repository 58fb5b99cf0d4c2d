namespace ServerlessFedi.Content;

/// <summary>
/// A status text rendered to Mastodon-style HTML, with the accounts it mentions (resolved ones only, distinct, in order of
/// appearance) and its hashtags (lower-case, without <c>#</c>, distinct, in order of appearance).
/// </summary>
public sealed record FormattedStatus(string Html, IReadOnlyList<MentionTarget> Mentions, IReadOnlyList<string> Tags);
