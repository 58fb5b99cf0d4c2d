using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;

namespace ServerlessFedi.Federation;

/// <summary>The <c>Delete</c> of a deleted local account, signed with its kept key, once per inbox of its followers and follows.</summary>
public sealed class DeletionDeliveries(ActivityBuilder builder, ActivitySigner signer, PayloadStore payloads, WorkQueue queue, DeletionInboxStore sent, TimeProvider time)
{
    /// <summary>
    /// Enqueues the Delete for each inbox not yet sent to in this deletion: a marker row per inbox (1 read; 1 write and
    /// 1 queue send when new) makes the deliveries distinct across pages and steps. The send comes before the marker, so a
    /// crash can repeat one delivery but never lose one.
    /// </summary>
    public async Task DeliverDeleteAsync(LocalAccount account, IEnumerable<string> inboxes, CancellationToken cancellationToken)
    {
        var distinct = inboxes.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count == 0)
        {
            return;
        }

        var (inline, blob) = await payloads.StoreAsync(signer.Sign(account, builder.DeleteActor(account)).ToJsonString(), cancellationToken);
        var now = time.GetUtcNow();
        foreach (var inbox in distinct)
        {
            if (await sent.HasAsync(account.Id, inbox, cancellationToken))
            {
                continue;
            }

            await queue.SendDeliveryAsync(new DeliveryMessage(account.Id, inbox, inline, blob, 1, now), null, cancellationToken);
            await sent.AddAsync(account.Id, inbox, now, cancellationToken);
        }
    }
}
