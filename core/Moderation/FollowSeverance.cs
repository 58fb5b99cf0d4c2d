using Microsoft.Extensions.Logging;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Moderation;

/// <summary>
/// Severs the follows between local accounts and a suspended server or account, both ways (requests included), on the
/// accounts queue after <see cref="ModerationService"/> stored the suspension; a suspension lifted before its step runs
/// severs nothing. A server's suspension is handled <see cref="AccountsPerStep"/> local accounts per message; an
/// account's in one step (its reverse indexes name the local accounts involved). Repeating a step removes nothing twice.
/// Storage: a server, per local account 1 range query per 1,000 followers, 1 range query (requests) and 1 (follows),
/// + per severed follow 2 deletes and a counter update; an account, 2 range queries (reverse indexes) + 1 delete per
/// local account (its follow request) + the same per severed follow; each step 1 read (the rules) + its trigger.
/// </summary>
public sealed class FollowSeverance(
    ModerationStore store,
    AccountListingStore accounts,
    FollowerStore followers,
    FollowingStore following,
    WorkQueue queue,
    ILogger<FollowSeverance> logger)
{
    public const int AccountsPerStep = 50;

    /// <summary>Follows of one local account read; local accounts follow far fewer.</summary>
    public const int MaxFollowsRead = 10_000;

    public async Task ProcessAsync(SeveranceMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var rules = await store.LoadAsync(cancellationToken);
        if (message.ActorId is { } actorId)
        {
            if (rules.Suspends(actorId))
            {
                await SeverActorAsync(actorId, cancellationToken);
            }

            return;
        }

        var block = rules.DomainBlocks.FirstOrDefault(b => b.Domain == message.Domain && b.Severity == DomainSeverity.Suspend);
        if (block is null)
        {
            logger.LogInformation("Severance for {Domain} skipped: the suspension was lifted", message.Domain);
            return;
        }

        var only = new ModerationRules([block], []);
        var handled = 0;
        string? last = null;
        await foreach (var account in accounts.ListAsync(cancellationToken))
        {
            if (message.AfterAccountId is { } after && string.CompareOrdinal(account.Id, after) <= 0)
            {
                continue;
            }

            if (handled == AccountsPerStep)
            {
                await queue.SendSeveranceAsync(message with { AfterAccountId = last }, cancellationToken);
                return;
            }

            await SeverAccountAsync(account.Id, only.Suspends, cancellationToken);
            handled++;
            last = account.Id;
        }
    }

    private async Task SeverActorAsync(string actorId, CancellationToken cancellationToken)
    {
        foreach (var localId in await followers.GetFollowedAccountIdsAsync(actorId, cancellationToken))
        {
            await followers.RemoveAsync(localId, actorId, cancellationToken);
        }

        await foreach (var account in accounts.ListAsync(cancellationToken))
        {
            await followers.RemoveRequestAsync(account.Id, actorId, cancellationToken);
        }

        foreach (var localId in await following.GetLocalFollowersOfAnyStateAsync(actorId, cancellationToken))
        {
            await following.RemoveAsync(localId, actorId, cancellationToken);
        }
    }

    private async Task SeverAccountAsync(string accountId, Func<string, bool> severed, CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var page = await followers.GetPageAsync(accountId, token, cancellationToken: cancellationToken);
            foreach (var follower in page.Followers.Where(f => severed(f.ActorId)))
            {
                await followers.RemoveAsync(accountId, follower.ActorId, cancellationToken);
            }

            token = page.ContinuationToken;
        }
        while (token is not null);

        foreach (var (actorId, _, _) in await followers.ListRequestsAsync(accountId, MaxFollowsRead, cancellationToken))
        {
            if (severed(actorId))
            {
                await followers.RemoveRequestAsync(accountId, actorId, cancellationToken);
            }
        }

        foreach (var follow in await following.ListAnyStateAsync(accountId, MaxFollowsRead, cancellationToken))
        {
            if (severed(follow.TargetActorId))
            {
                await following.RemoveAsync(accountId, follow.TargetActorId, cancellationToken);
            }
        }
    }
}
