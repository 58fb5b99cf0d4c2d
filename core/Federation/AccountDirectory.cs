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
    public async Task<AccountRef?> GetByApiIdAsync(string? apiId, CancellationToken cancellationToken)
    {
        if (SnowflakeIds.IsValid(apiId))
        {
            var local = await accounts.GetByIdAsync(apiId!, cancellationToken);
            return local is null ? null : Of(local);
        }

        var remote = RemoteAccountIds.IsRemote(apiId) ? await remoteActors.GetByAccountIdAsync(apiId!, cancellationToken) : null;
        return remote is null ? null : Of(remote);
    }

    public async Task<AccountRef?> GetByActorIdAsync(string? actorId, CancellationToken cancellationToken)
    {
        if (actorId is null)
        {
            return null;
        }

        if (LocalUsernameOf(actorId) is { } username)
        {
            var local = await accounts.GetByUsernameAsync(username, cancellationToken);
            return local is null ? null : Of(local);
        }

        var remote = await remoteActors.GetAsync(actorId, cancellationToken);
        return remote is null ? null : Of(remote);
    }

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

    /// <summary>The username when <paramref name="actorId"/> is one of our actor URLs (<c>{base}/users/{name}</c>), else null.</summary>
    public string? LocalUsernameOf(string actorId)
    {
        var prefix = urls.Base + "/users/";
        if (!actorId.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = actorId[prefix.Length..];
        return rest.Length > 0 && rest.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? rest : null;
    }

    /// <summary>The status id when <paramref name="uri"/> is one of our status URLs (<c>{base}/users/{name}/statuses/{id}</c>), else null.</summary>
    public string? LocalStatusIdOf(string? uri)
    {
        var prefix = urls.Base + "/users/";
        if (uri is null || !uri.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = uri[prefix.Length..].Split('/');
        return parts.Length == 3 && parts[1] == "statuses" && SnowflakeIds.IsValid(parts[2]) ? parts[2] : null;
    }
}
