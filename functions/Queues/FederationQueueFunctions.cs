using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.Federation;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Functions.Queues;

/// <summary>
/// The queue side of federation. Queue names are app settings (<c>%FediInboxQueue%</c> ...), resolved by the host.
/// A thrown exception makes the host retry the message and, after maxDequeueCount attempts, move it to the poison queue.
/// </summary>
public sealed class FederationQueueFunctions(InboxProcessor inbox, FanoutProcessor fanout, PostGuardProcessor guards, InteractionEffects interactions, DeliveryProcessor deliver, AccountDeletion deletion, ServerlessFedi.Migration.FollowerMigration migration, ServerlessFedi.Moderation.FollowSeverance severance)
{
    [Function("InboxQueue")]
    public Task Inbox([QueueTrigger("%FediInboxQueue%")] string message, CancellationToken cancellationToken) =>
        inbox.RunAsync(Parse(message, QueueJsonContext.Default.InboxMessage), cancellationToken);

    /// <summary>Fan-out pages, and on the same queue the guards of posts being created (<see cref="PostGuardMessage"/>) and what local favourites leave to the queue (<see cref="FavouriteMessage"/>); a fan-out's first message also carries what a boost or a post leaves to it (<see cref="FanoutProcessor.ProcessAsync"/>).</summary>
    [Function("FanoutQueue")]
    public Task Fanout([QueueTrigger("%FediFanoutQueue%")] string message, CancellationToken cancellationToken) =>
        PostGuardMessage.TryParse(message) is { } guard ? guards.ProcessAsync(guard, cancellationToken)
        : FavouriteMessage.TryParse(message) is { } favourite ? interactions.ApplyFavouriteAsync(favourite, cancellationToken)
        : fanout.ProcessAsync(Parse(message, QueueJsonContext.Default.FanoutMessage), cancellationToken);

    [Function("DeliverQueue")]
    public Task Deliver([QueueTrigger("%FediDeliverQueue%")] string message, CancellationToken cancellationToken) =>
        deliver.ProcessAsync(Parse(message, QueueJsonContext.Default.DeliveryMessage), cancellationToken);

    /// <summary>
    /// One bounded step of an account deletion (local or remote), of a follower move after a Move, or of the severing of
    /// a suspended server's or account's follows; each step enqueues the next.
    /// </summary>
    [Function("AccountsQueue")]
    public Task Accounts([QueueTrigger("%FediAccountsQueue%")] string message, CancellationToken cancellationToken) =>
        ServerlessFedi.Migration.MoveFollowersMessage.TryParse(message) is { } move ? migration.ProcessAsync(move, cancellationToken)
        : ServerlessFedi.Moderation.SeveranceMessage.TryParse(message) is { } sever ? severance.ProcessAsync(sever, cancellationToken)
        : deletion.ProcessAsync(Parse(message, QueueJsonContext.Default.AccountDeletionMessage), cancellationToken);

    private static T Parse<T>(string message, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(message, typeInfo) ?? throw new JsonException("empty queue message");
}
