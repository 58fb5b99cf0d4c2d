using System.Net;
using Azure;
using ServerlessFedi.Crypto;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Accounts;

/// <summary>
/// The instance actor's key pair in the <c>accounts</c> table (its own row, outside the account partition).
/// Storage: 1 point read; the very first call 1 read (404) + 1 insert (+1 read when another process inserted first).
/// </summary>
public sealed class InstanceActorStore(FediTables tables, TimeProvider time)
{
    public async Task<InstanceActor> GetOrCreateAsync(CancellationToken cancellationToken = default)
    {
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
