using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Signatures;

namespace ServerlessFedi.Federation;

/// <summary>
/// The senders of deliveries, kept in memory per process for <see cref="Lifetime"/> (at most <see cref="Capacity"/> of
/// them), so a post to 6,000 inboxes reads its author's row once per process instead of 6,000 times. Keys are read from
/// storage; only the sender id travels in messages. Callers that must see a deletion at once (retries, Deletes) ask for a
/// fresh read. Storage: 1 point read per sender per <see cref="Lifetime"/> per process, or per fresh read.
/// </summary>
public sealed class DeliverySigners(AccountStore accounts, InstanceActorSigner instanceSigner, InstanceUrls urls, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public const int Capacity = 1_000;

    private readonly ExpiringCache<DeliverySender?> _senders = new(Lifetime, Capacity, time);

    /// <summary>The sender, or null when no such account exists; <paramref name="fresh"/> reads the account again.</summary>
    public async Task<DeliverySender?> GetAsync(string senderId, bool fresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(senderId);
        if (senderId == DeliveryMessage.InstanceSender)
        {
            return new DeliverySender(null, await instanceSigner.GetAsync(cancellationToken));
        }

        return await _senders.GetOrLoadAsync(senderId, async () =>
        {
            // A deleted account keeps its keys so that its Delete can be signed with the key peers cached.
            var account = await accounts.GetByIdIncludingDeletedAsync(senderId, cancellationToken);
            return account is null
                ? null
                : new DeliverySender(account, new SigningKeySigner(new SigningKey(urls.ActorKey(account.Username), account.RsaPrivateKeyPem), time));
        }, fresh);
    }
}
