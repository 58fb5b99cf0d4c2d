namespace ServerlessFedi.Statuses;

/// <summary>An account mentioned by a status: its handle parts, actor id, profile URL, and where to deliver (remote only).</summary>
public sealed record StatusMention(string Username, string? Domain, string ActorId, string ProfileUrl, string? Inbox, string? AccountId = null);
