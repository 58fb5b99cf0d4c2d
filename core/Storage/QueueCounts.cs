using System.Net;
using Azure;

namespace ServerlessFedi.Storage;

/// <summary>Approximate message counts of queues, as the service reports them (invisible messages included). 1 transaction per queue.</summary>
public sealed class QueueCounts(StorageAccount account)
{
    /// <summary>The queue's approximate message count, or null when it does not exist.</summary>
    public async Task<int?> CountAsync(string queue, CancellationToken cancellationToken)
    {
        try
        {
            return (await account.RawQueues.GetQueueClient(queue).GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
