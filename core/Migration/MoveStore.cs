using System.Net;
using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Migration;

/// <summary>
/// The last <c>Move</c> of each actor (a row next to its cached actor), which bounds Move loops: an actor's followers move
/// at most once per <see cref="Cooldown"/>, as Mastodon's <c>PROCESSING_COOLDOWN</c>. A claim is taken before the target
/// is checked and released when the check fails, so a refused Move leaves nothing behind.
/// Storage: claim 1 point read + 1 conditional write; queued 1 merge; release 1 delete.
/// </summary>
public sealed class MoveStore(FediTables tables)
{
    public static readonly TimeSpan Cooldown = TimeSpan.FromDays(7);

    private const string InProgress = "in-progress";
    private const string Queued = "queued";

    public async Task<MoveClaim> ClaimAsync(string actorId, string targetActorId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.RemoteActorsTable, cancellationToken);
        var (pk, rk) = StorageKeys.ActorMove(actorId);
        var existing = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        if (existing.HasValue && existing.Value!.GetDateTimeOffset("MovedAt") is { } movedAt && now - movedAt < Cooldown)
        {
            return existing.Value.GetString("State") == InProgress && existing.Value.GetString("Target") == targetActorId ? MoveClaim.Resumed : MoveClaim.CoolingDown;
        }

        var row = new TableEntity(pk, rk) { ["Target"] = targetActorId, ["MovedAt"] = now, ["State"] = InProgress };
        try
        {
            if (existing.HasValue)
            {
                await table.UpdateEntityAsync(row, existing.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
            }
            else
            {
                await table.AddEntityAsync(row, cancellationToken);
            }
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
        {
            return MoveClaim.CoolingDown; // a concurrent delivery of a Move of this actor holds the claim
        }

        return MoveClaim.Claimed;
    }

    /// <summary>The move's follower migration is queued: a repeat of the Move is now refused until the cooldown ends.</summary>
    public async Task MarkQueuedAsync(string actorId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.RemoteActorsTable, cancellationToken);
        var (pk, rk) = StorageKeys.ActorMove(actorId);
        await table.UpdateEntityAsync(new TableEntity(pk, rk) { ["State"] = Queued }, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>Drops a claim whose Move was refused, so a later valid Move of the actor is not held back.</summary>
    public async Task ReleaseAsync(string actorId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(StorageNames.RemoteActorsTable, cancellationToken);
        var (pk, rk) = StorageKeys.ActorMove(actorId);
        await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
    }
}
