namespace ServerlessFedi.Federation;

/// <summary>
/// One bounded step of removing a deleted account: a local account (<see cref="AccountId"/>) after <c>admin account delete</c>,
/// or a remote actor (<see cref="RemoteActorId"/>) after its own <c>Delete</c>. Each step removes what it handled, so the
/// next step reads from the start again: a crash repeats at most one step and never skips anything.
/// </summary>
public sealed record AccountDeletionMessage(string? AccountId, string? RemoteActorId, string Step)
{
    public const string Statuses = "statuses";
    public const string Interactions = "interactions";
    public const string Followers = "followers";
    public const string Following = "following";
    public const string Finish = "finish";
    public const string RemoteFollows = "remote-follows";
    public const string RemoteStatuses = "remote-statuses";
}
