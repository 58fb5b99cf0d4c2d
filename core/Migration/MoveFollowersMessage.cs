using System.Text.Json;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Migration;

/// <summary>
/// One bounded step of moving the local followers of <see cref="OriginActorId"/> to <see cref="TargetActorId"/> after an
/// accepted <c>Move</c> (inbound, or the operator's <c>admin account move</c>). Sent on the accounts queue, told apart from
/// the deletion steps by <see cref="Kind"/>. Each step moves what it read, so the next one reads from the start again.
/// </summary>
/// <param name="OriginActorId">The account that moved.</param>
/// <param name="TargetActorId">The account it moved to.</param>
/// <param name="Kind">What the message is, on the wire (<c>kind</c>): always <see cref="KindName"/>.</param>
public sealed record MoveFollowersMessage(string OriginActorId, string TargetActorId, string Kind = MoveFollowersMessage.KindName)
{
    public const string KindName = "moveFollowers";

    /// <summary>The step in an accounts queue message, or null when the message is another kind.</summary>
    public static MoveFollowersMessage? TryParse(string message)
    {
        using var doc = JsonDocument.Parse(message);
        if (QueueMessageKind.Matching(doc, KindName) is not { } root)
        {
            return null;
        }

        return QueueMessageKind.Text(root, "originActorId") is { } origin && QueueMessageKind.Text(root, "targetActorId") is { } target
            ? new MoveFollowersMessage(origin, target)
            : throw new JsonException("a follower move names its origin and its target");
    }
}
