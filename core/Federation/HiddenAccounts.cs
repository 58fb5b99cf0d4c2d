namespace ServerlessFedi.Federation;

/// <summary>
/// Whom a local account has hidden from itself (Mastodon: blocks, mutes and domain blocks): the accounts by API id and
/// actor id, and the remote servers by host (a host never hides our own actors, whose ids start with
/// <see cref="LocalBase"/>). Loaded once per page by <see cref="AccountHiding.ListAsync"/>.
/// </summary>
public sealed record HiddenAccounts(IReadOnlySet<string> AccountIds, IReadOnlySet<string> ActorIds, IReadOnlySet<string> Hosts, string LocalBase)
{
    public static HiddenAccounts None { get; } = new(new HashSet<string>(), new HashSet<string>(), new HashSet<string>(), "");

    /// <summary>Whether the account is blocked or muted, or is remote on a blocked server.</summary>
    public bool Hides(AccountRef account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return AccountIds.Contains(account.ApiId) || ActorIds.Contains(account.ActorId)
            || account.Remote is not null && Hosts.Contains(DomainBlockStore.HostOf(account.ActorId) ?? "");
    }

    /// <summary>Whether the actor (local or remote, by id) is blocked or muted, or is remote on a blocked server.</summary>
    public bool HidesActor(string actorId)
    {
        ArgumentNullException.ThrowIfNull(actorId);
        return ActorIds.Contains(actorId)
            || !actorId.StartsWith(LocalBase + "/", StringComparison.Ordinal) && Hosts.Contains(DomainBlockStore.HostOf(actorId) ?? "");
    }
}
