namespace ServerlessFedi.Statuses;

/// <summary>What an account did to a status: the marks Mastodon reports as <c>favourited</c>, <c>reblogged</c>, <c>bookmarked</c>, <c>pinned</c>.</summary>
public enum InteractionKind
{
    Favourite,
    Reblog,
    Bookmark,
    Pin,
}
