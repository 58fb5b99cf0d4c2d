using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// Finds accounts by API id or actor id, local or remote: local ids are 18-digit snowflakes, remote ids 19 digits
/// (<see cref="RemoteAccountIds"/>). Storage: 1 point read (local by id), 1-2 (local by actor URL: username index),
/// 2 (remote by API id), 1 (remote by actor id, cached).
/// </summary>
public sealed class AccountDirectory(AccountStore accounts, RemoteActorStore remoteActors, InstanceUrls urls)
{
    public Task<AccountRef?> GetByApiIdAsync(string? apiId, CancellationToken cancellationToken) => ByApiIdAsync(apiId, recent: false, cancellationToken);

    /// <summary>
    /// As <see cref="GetByApiIdAsync"/> for rendering: rows read at most <see cref="AccountStore.RecentLifetime"/> ago in
    /// this process cost nothing (see <see cref="AccountStore.GetByIdRecentAsync"/>, <see cref="RemoteActorStore.GetByAccountIdRecentAsync"/>).
    /// </summary>
    public Task<AccountRef?> GetRecentByApiIdAsync(string? apiId, CancellationToken cancellationToken) => ByApiIdAsync(apiId, recent: true, cancellationToken);

    public Task<AccountRef?> GetByActorIdAsync(string? actorId, CancellationToken cancellationToken) => ByActorIdAsync(actorId, recent: false, cancellationToken);

    /// <summary>As <see cref="GetByActorIdAsync"/> for rendering, with the rows' recent copies as in <see cref="GetRecentByApiIdAsync"/>.</summary>
    public Task<AccountRef?> GetRecentByActorIdAsync(string? actorId, CancellationToken cancellationToken) => ByActorIdAsync(actorId, recent: true, cancellationToken);

    private async Task<AccountRef?> ByApiIdAsync(string? apiId, bool recent, CancellationToken cancellationToken)
    {
        if (SnowflakeIds.IsValid(apiId))
        {
            var local = recent ? await accounts.GetByIdRecentAsync(apiId!, cancellationToken) : await accounts.GetByIdAsync(apiId!, cancellationToken);
            return local is null ? null : Of(local);
        }

        if (!RemoteAccountIds.IsRemote(apiId))
        {
            return null;
        }

        var remote = recent ? await remoteActors.GetByAccountIdRecentAsync(apiId!, cancellationToken) : await remoteActors.GetByAccountIdAsync(apiId!, cancellationToken);
        return remote is null ? null : Of(remote);
    }

    private async Task<AccountRef?> ByActorIdAsync(string? actorId, bool recent, CancellationToken cancellationToken)
    {
        if (actorId is null)
        {
            return null;
        }

        if (urls.UsernameOfActor(actorId) is { } username)
        {
            var local = recent ? await accounts.GetByUsernameRecentAsync(username, cancellationToken) : await accounts.GetByUsernameAsync(username, cancellationToken);
            return local is null ? null : Of(local);
        }

        var remote = recent ? await remoteActors.GetRecentAsync(actorId, cancellationToken) : await remoteActors.GetAsync(actorId, cancellationToken);
        return remote is null ? null : Of(remote);
    }

    /// <summary>Whether <paramref name="actorId"/> is a local actor URL (whether or not the account exists).</summary>
    public bool IsLocalActor(string? actorId) => urls.UsernameOfActor(actorId) is not null;

    /// <summary>The live local account whose actor URL <paramref name="actorUrl"/> is, its row read afresh (<see cref="AccountStore.GetByUsernameFreshAsync"/>: 1 point read, + 1 the first time in a process), else null.</summary>
    public async Task<LocalAccount?> GetLocalByActorIdAsync(string? actorUrl, CancellationToken cancellationToken) =>
        urls.UsernameOfActor(actorUrl) is { } username ? await accounts.GetByUsernameFreshAsync(username, cancellationToken) : null;

    public AccountRef Of(LocalAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new AccountRef(account.Id, urls.Actor(account.Username), account, null);
    }

    public static AccountRef Of(RemoteActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new AccountRef(actor.AccountId, actor.Id, null, actor);
    }
}
