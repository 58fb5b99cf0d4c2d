namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>PartialAccountWithAvatar (docs: entities/GroupedNotificationsResults): what a row of avatars needs.</summary>
public sealed record PartialAccountWithAvatar(string Id, string Acct, string Url, string Avatar, string AvatarStatic, bool Locked, bool Bot);
