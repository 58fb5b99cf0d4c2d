namespace ServerlessFedi.Lists;

/// <summary>A list of accounts kept by a local account (entities/List).</summary>
public sealed record AccountList
{
    public required string Id { get; init; }

    public required string OwnerId { get; init; }

    public required string Title { get; init; }

    /// <summary>Which replies show in the list timeline: followed, list or none.</summary>
    public string RepliesPolicy { get; init; } = "list";

    /// <summary>Members' posts are left out of the home timeline.</summary>
    public bool Exclusive { get; init; }
}
