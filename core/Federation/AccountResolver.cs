using Microsoft.Extensions.Logging;
using ServerlessFedi.Moderation;
using ServerlessFedi.Remote;

namespace ServerlessFedi.Federation;

/// <summary>
/// Remote accounts for requests of the client API (lookup, search, mentions in posts and edits), with the remote work
/// one call can cause bounded: <see cref="FindByHandleAsync"/> reads the cache only (for anonymous callers, who never
/// cause a fetch); a resolution is at most one WebFinger GET plus the actor's fetch, within <see cref="RequestBudget"/>;
/// a refused or failed fetch (address guard, timeout, DNS, error status, invalid JSON, oversized body) answers "not
/// found", never an exception. Handles WebFinger resolved are remembered (<see cref="RemoteActorStore.PutHandleAsync"/>)
/// and not asked again within <see cref="HandleLifetime"/>. Suspended actors and servers are never found (<see cref="ModerationPolicy"/>).
/// Storage: a cached handle 2 point reads (index, actor); a resolution what <see cref="WebFingerClient"/> costs + 1 upsert.
/// </summary>
public sealed class AccountResolver(
    RemoteActorStore store,
    RemoteActorResolver actors,
    WebFingerClient webFinger,
    TimeProvider time,
    ILogger<AccountResolver> logger,
    ModerationPolicy moderation)
{
    /// <summary>Wall-clock time one resolution may take, all of its GETs included.</summary>
    public static readonly TimeSpan RequestBudget = TimeSpan.FromSeconds(10);

    /// <summary>How long a handle's WebFinger answer is reused (Mastodon re-resolves a handle after a day too).</summary>
    public static readonly TimeSpan HandleLifetime = TimeSpan.FromDays(1);

    /// <summary>The cached actor a handle was last resolved to, however old; no network.</summary>
    public async Task<RemoteActor?> FindByHandleAsync(string username, string domain, CancellationToken cancellationToken)
    {
        if (await store.GetHandleAsync(Acct(username, domain), cancellationToken) is not { } handle)
        {
            return null;
        }

        var actor = await store.GetAsync(handle.ActorId, cancellationToken);
        return actor?.DeletedAt is null && !(await moderation.CurrentAsync(cancellationToken)).Suspends(handle.ActorId) ? actor : null;
    }

    /// <summary>The actor of <c>username@domain</c>: from a recent resolution, else by WebFinger; null when it cannot be had.</summary>
    public async Task<RemoteActor?> ResolveHandleAsync(string username, string domain, CancellationToken cancellationToken)
    {
        var acct = Acct(username, domain);
        if (await store.GetHandleAsync(acct, cancellationToken) is { } handle && time.GetUtcNow() - handle.ResolvedAt < HandleLifetime)
        {
            return await WithinBudgetAsync(ct => actors.GetActorAsync(handle.ActorId, refresh: false, ct), acct, cancellationToken);
        }

        var actor = await WithinBudgetAsync(ct => webFinger.ResolveAsync(username, domain, ct), acct, cancellationToken);
        if (actor is not null)
        {
            await store.PutHandleAsync(acct, actor.Id, time.GetUtcNow(), cancellationToken);
        }

        return actor;
    }

    /// <summary>The actor at <paramref name="actorId"/> (an actor id or a profile URL whose document names its id): cached, or fetched once; null when it is none.</summary>
    public Task<RemoteActor?> ResolveUrlAsync(string actorId, CancellationToken cancellationToken) =>
        WithinBudgetAsync(ct => actors.LookupAsync(actorId, ct), actorId, cancellationToken);

    private static string Acct(string username, string domain) => $"{username}@{domain}";

    private async Task<RemoteActor?> WithinBudgetAsync(Func<CancellationToken, Task<RemoteActor?>> resolve, string what, CancellationToken cancellationToken)
    {
        using var budget = new CancellationTokenSource(RequestBudget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            return await resolve(linked.Token);
        }
        catch (RemoteFetchException ex)
        {
            logger.LogInformation("Resolving {Account} failed: {Reason}", what, ex.Reason);
            return null;
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("Resolving {Account} took longer than {Budget}", what, RequestBudget);
            return null;
        }
    }
}
