using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Migration;

/// <summary>
/// A local account's side of a migration (Mastodon's account aliases and "move to a different account"): its
/// <c>alsoKnownAs</c>, published with <c>Update(Person)</c> to its followers when it changes, so that another server
/// accepts a <c>Move</c> from an old account to this one; and its move to a new account, which must list this account in
/// <c>alsoKnownAs</c> first: then <c>movedTo</c> is set and published (<c>Update</c>, then <c>Move</c> to every follower
/// inbox through the fan-out), and local followers are moved on the accounts queue.
/// Storage: an alias change 2 point reads + the target's resolution + 1 merge + 1 payload put and 1 queue send;
/// a move 2 point reads + the target's refresh + 1 merge + 2 payload puts and 2 fan-out sends + 1 queue send.
/// </summary>
public sealed class AccountMigration(
    AccountStore accounts,
    AccountProfileStore profiles,
    MigrationTargets targets,
    ActivityBuilder activities,
    ActivityPublisher publisher,
    WorkQueue queue,
    InstanceUrls urls,
    TimeProvider time)
{
    /// <summary>As many aliases as a remote actor's are read (<see cref="ActorDocumentParser"/>).</summary>
    public const int MaxAliases = 20;

    public async Task<MigrationResult> AddAliasAsync(string username, string alias, CancellationToken cancellationToken)
    {
        if (await LiveAsync(username, cancellationToken) is not { } account)
        {
            return MigrationResult.Refused($"no local account '{username}'");
        }

        var other = await targets.ResolveAsync(alias, fresh: false, cancellationToken);
        if (other is null)
        {
            return MigrationResult.Refused($"'{alias}' could not be resolved to an account (unknown, unreachable or suspended)");
        }

        if (other.Local?.Id == account.Id)
        {
            return MigrationResult.Refused("an account cannot be its own alias");
        }

        if (account.AlsoKnownAs.Contains(other.ActorId, StringComparer.Ordinal))
        {
            return new MigrationResult(null, other.ActorId, Changed: false);
        }

        if (account.AlsoKnownAs.Count >= MaxAliases)
        {
            return MigrationResult.Refused($"an account has at most {MaxAliases} aliases");
        }

        await SaveAndPublishAsync(account with { AlsoKnownAs = [.. account.AlsoKnownAs, other.ActorId] }, cancellationToken);
        return new MigrationResult(null, other.ActorId);
    }

    /// <summary>Removes an alias named by handle or actor id (an alias that no longer resolves is removed by its actor id).</summary>
    public async Task<MigrationResult> RemoveAliasAsync(string username, string alias, CancellationToken cancellationToken)
    {
        if (await LiveAsync(username, cancellationToken) is not { } account)
        {
            return MigrationResult.Refused($"no local account '{username}'");
        }

        var actorId = account.AlsoKnownAs.Contains(alias.Trim(), StringComparer.Ordinal)
            ? alias.Trim()
            : (await targets.ResolveAsync(alias, fresh: false, cancellationToken))?.ActorId;
        if (actorId is null || !account.AlsoKnownAs.Contains(actorId, StringComparer.Ordinal))
        {
            return MigrationResult.Refused($"'{alias}' is not an alias of @{account.Username}");
        }

        await SaveAndPublishAsync(account with { AlsoKnownAs = [.. account.AlsoKnownAs.Where(a => a != actorId)] }, cancellationToken);
        return new MigrationResult(null, actorId);
    }

    /// <summary>The account's aliases (actor ids); null when there is no such account.</summary>
    public async Task<IReadOnlyList<string>?> ListAliasesAsync(string username, CancellationToken cancellationToken) =>
        (await LiveAsync(username, cancellationToken))?.AlsoKnownAs;

    /// <summary>
    /// Moves the account to <paramref name="to"/>, whose current document must name this account in <c>alsoKnownAs</c>.
    /// Repeating a move to the same account sends the Move again (followers' servers apply it once).
    /// </summary>
    public async Task<MigrationResult> MoveAsync(string username, string to, CancellationToken cancellationToken)
    {
        if (await LiveAsync(username, cancellationToken) is not { } account)
        {
            return MigrationResult.Refused($"no local account '{username}'");
        }

        var target = await targets.ResolveAsync(to, fresh: true, cancellationToken);
        if (target is null)
        {
            return MigrationResult.Refused($"'{to}' could not be resolved to an account (unknown, unreachable or suspended)");
        }

        var actorId = urls.Actor(account.Username);
        if (target.ActorId == actorId)
        {
            return MigrationResult.Refused("an account cannot move to itself");
        }

        if (account.MovedTo is { } moved && moved != target.ActorId)
        {
            return MigrationResult.Refused($"@{account.Username} has already moved to {moved}");
        }

        if ((target.Local?.MovedTo ?? target.Remote?.MovedTo) is { } onward)
        {
            return MigrationResult.Refused($"{target.ActorId} has itself moved to {onward}");
        }

        if (!(target.Local?.AlsoKnownAs ?? target.Remote!.AlsoKnownAs).Contains(actorId, StringComparer.Ordinal))
        {
            return MigrationResult.Refused(
                $"{target.ActorId} does not list {actorId} in alsoKnownAs: on the new account, add @{account.Username}@{urls.AccountDomain} as an alias first (Mastodon: Preferences > Account > Moving from a different account)");
        }

        var now = time.GetUtcNow();
        var updated = account with { MovedTo = target.ActorId, MovedAt = account.MovedAt ?? now };
        await SaveAndPublishAsync(updated, cancellationToken);
        await publisher.PublishAsync(updated, activities.Move(updated, target.ActorId, now), null, skipFollowers: false, cancellationToken);
        await queue.SendMoveFollowersAsync(new MoveFollowersMessage(actorId, target.ActorId), cancellationToken);
        return new MigrationResult(null, target.ActorId);
    }

    private async Task<LocalAccount?> LiveAsync(string username, CancellationToken cancellationToken) =>
        await accounts.GetByUsernameAsync(username.TrimStart('@'), cancellationToken) is { DeletedAt: null } account ? account : null;

    private async Task SaveAndPublishAsync(LocalAccount updated, CancellationToken cancellationToken)
    {
        await profiles.SaveMigrationAsync(updated, cancellationToken);
        await publisher.PublishAsync(updated, activities.UpdatePerson(updated, time.GetUtcNow()), null, skipFollowers: false, cancellationToken);
    }
}
