namespace ServerlessFedi.Content;

/// <summary>
/// An account a status mentions, as the mention resolver found it.
/// <paramref name="Domain"/> is null for local accounts; <paramref name="ProfileUrl"/> is the link target in the HTML
/// (Mastodon links mentions to the account's <c>url</c>), <paramref name="ActorId"/> goes into the ActivityPub <c>Mention</c> tag.
/// </summary>
public sealed record MentionTarget(string Username, string? Domain, string ActorId, string ProfileUrl);
