using System.Net;
using Azure;
using ServerlessFedi.Crypto;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Accounts;

/// <summary>
/// The instance actor's key pair in the <c>accounts</c> table (its own row, outside the account partition). It never
/// changes once written, so a process reads it once: concurrent first callers (the first activities reaching a fresh
/// instance, each needing a signed fetch) share one read and at most one key generation and insert (issue 17 item 9).
/// Storage: 1 point read per process; the very first process 1 read (404) + 1 insert (+1 read when another process
/// inserted first). A failure is not kept: the next call tries again.
/// </summary>
public sealed class InstanceActorStore(FediTables tables, TimeProvider time)
{
    private readonly Lock _gate = new();
    private Task<InstanceActor>? _actor;

    public Task<InstanceActor> GetOrCreateAsync(CancellationToken cancellationToken = default)
    {
        Task<InstanceActor> shared;
        lock (_gate)
        {
            if (_actor is null || _actor.IsFaulted || _actor.IsCanceled)
            {
                _actor = LoadOrCreateAsync();
            }

            shared = _actor;
        }

        return shared.WaitAsync(cancellationToken);
    }

    private async Task<InstanceActor> LoadOrCreateAsync()
    {
        // Not the first caller's token: the shared load must not fail for the others when that caller gives up.
        var cancellationToken = CancellationToken.None;
        var table = await tables.GetAsync(StorageNames.AccountsTable, cancellationToken);
        var (pk, rk) = StorageKeys.InstanceActor();
        var existing = await table.GetEntityIfExistsAsync<InstanceActorEntity>(pk, rk, cancellationToken: cancellationToken);
        if (existing.HasValue)
        {
            var e = existing.Value!;
            return new InstanceActor(e.CreatedAt, e.RsaPrivateKeyPem, e.RsaPublicKeyPem);
        }

        var keys = ActorKeys.Generate();
        var entity = new InstanceActorEntity
        {
            PartitionKey = pk,
            RowKey = rk,
            CreatedAt = time.GetUtcNow(),
            RsaPrivateKeyPem = keys.RsaPrivateKeyPem,
            RsaPublicKeyPem = keys.RsaPublicKeyPem,
        };
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            return new InstanceActor(entity.CreatedAt, entity.RsaPrivateKeyPem, entity.RsaPublicKeyPem);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            // Another instance created it first; theirs is the one remote servers may already have cached.
            var winner = (await table.GetEntityAsync<InstanceActorEntity>(pk, rk, cancellationToken: cancellationToken)).Value;
            return new InstanceActor(winner.CreatedAt, winner.RsaPrivateKeyPem, winner.RsaPublicKeyPem);
        }
    }
}
