namespace ServerlessFedi.Statuses;

/// <summary>Mastodon's status visibilities (docs: entities/Status#visibility).</summary>
public enum Visibility
{
    Public,
    Unlisted,
    Private,
    Direct,
}
