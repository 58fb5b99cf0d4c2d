namespace ServerlessFedi.Web;

/// <summary>An account in the front page's directory.</summary>
public sealed record DirectoryView(string DisplayName, string Handle, string ProfileUrl, string AvatarUrl, string Summary, long StatusesCount, long FollowersCount);
