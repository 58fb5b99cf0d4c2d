using System.Text.Json;

namespace ServerlessFedi.Federation;

/// <summary>
/// What a local account's favourite of a local status leaves to the queue (<c>InteractionEffects.ApplyFavouriteAsync</c>):
/// the favourite's record (<c>favourited_by</c>; the request writes only the account's mark), the author's notification
/// and the counts on the author's list of statuses. Sent before the request counts the
/// favourite, so a counted favourite has it on its way, and a request that dies before counting leaves the count to it.
/// Marked by <see cref="Kind"/> among the fan-out queue's messages.
/// </summary>
/// <param name="AccountId">The local account that favourited.</param>
/// <param name="ActorId">Its actor id (the favourite's record and count are keyed by it).</param>
/// <param name="StatusId">The status it favourited (the boosted one for a boost).</param>
/// <param name="ActivityId">The favourite's <c>Like</c> id: the notification's cause, and the record's activity id.</param>
/// <param name="Kind">What the message is, on the wire (<c>kind</c>): always <see cref="KindName"/>.</param>
/// <param name="Audit">The request's audit row (team access), recorded by the message instead of the request.</param>
public sealed record FavouriteMessage(string AccountId, string ActorId, string StatusId, string ActivityId, string Kind = FavouriteMessage.KindName, Team.PendingAudit? Audit = null)
{
    public const string KindName = "favourite";

    /// <summary>The favourite in a fan-out queue message, or null when the message is something else.</summary>
    public static FavouriteMessage? TryParse(string message)
    {
        using var doc = JsonDocument.Parse(message);
        if (QueueMessageKind.Matching(doc, KindName) is not { } root)
        {
            return null;
        }

        return QueueMessageKind.Text(root, "accountId") is { Length: > 0 } account && QueueMessageKind.Text(root, "actorId") is { Length: > 0 } actor
            && QueueMessageKind.Text(root, "statusId") is { Length: > 0 } status && QueueMessageKind.Text(root, "activityId") is { Length: > 0 } activity
            ? new FavouriteMessage(account, actor, status, activity, Audit: root.TryGetProperty("audit", out var audit) && audit.ValueKind == JsonValueKind.Object
                ? audit.Deserialize(QueueJsonContext.Default.PendingAudit) ?? throw new JsonException("an empty audit row")
                : null)
            : throw new JsonException("a favourite names its account, actor, status and activity");
    }
}
