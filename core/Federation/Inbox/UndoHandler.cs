using System.Text.Json;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Federation.Inbox;

/// <summary>
/// <c>Undo</c> of the actor's own embedded <c>Follow</c> (the follow or request goes), <c>Like</c> or <c>Announce</c> (the
/// favourite or boost goes, and a boost stored as a status leaves the followers' homes) or <c>Block</c>; an Undo naming
/// a boost only by its id undoes that boost. Anything else, or another actor's activity, is ignored.
/// </summary>
public sealed class UndoHandler(
    AccountDirectory directory,
    FollowerStore followers,
    FollowingStore following,
    StatusInteractions interactions,
    AnnounceProcessor announces) : IActivityHandler
{
    public async Task<ActivityOutcome> HandleAsync(InboundActivity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var inner = activity.ObjectElement;
        if (inner.ValueKind == JsonValueKind.Undefined)
        {
            return new ActivityOutcome.Ignored("it names no object");
        }

        // The object may be embedded or only referenced by id; for a Follow we need its object, so embedded is the norm.
        var innerType = inner.ValueKind == JsonValueKind.Object ? ActorDocumentParser.TypeOf(inner) : null;
        if (innerType is "Follow" or "Like" or "Announce" && ActorDocumentParser.String(inner, "actor") is { } innerActor && innerActor != activity.ActorId)
        {
            return new ActivityOutcome.Ignored(innerType == "Follow" ? "it undoes another actor's Follow" : "it undoes another actor's activity");
        }

        switch (innerType)
        {
            case "Follow":
                if (await directory.GetLocalByActorIdAsync(ActorDocumentParser.String(inner, "object"), cancellationToken) is { } account)
                {
                    await followers.RemoveAsync(account.Id, activity.ActorId, cancellationToken);
                    await followers.RemoveRequestAsync(account.Id, activity.ActorId, cancellationToken);
                }

                return ActivityOutcome.Done;
            case "Like" or "Announce":
                await interactions.ReceiveUndoAsync(innerType == "Like" ? InteractionKind.Favourite : InteractionKind.Reblog, ActorDocumentParser.String(inner, "object"), activity.ActorId, cancellationToken);
                if (innerType == "Announce")
                {
                    await announces.UndoAsync(ActorDocumentParser.String(inner, "id"), activity.ActorId, cancellationToken);
                }

                return ActivityOutcome.Done;
            case "Block":
                if (await directory.GetLocalByActorIdAsync(ActorDocumentParser.String(inner, "object"), cancellationToken) is { } blocked)
                {
                    await following.SetRelationAsync(RelationshipService.BlockedBy, blocked.Id, activity.ActorId, RemoteAccountIds.For(activity.ActorId), on: false, cancellationToken);
                }

                return ActivityOutcome.Done;
            default:
                // An Undo naming a boost only by its id.
                return inner.ValueKind == JsonValueKind.String && await announces.UndoAsync(inner.GetString(), activity.ActorId, cancellationToken)
                    ? ActivityOutcome.Done
                    : new ActivityOutcome.Ignored($"Undo({innerType ?? "reference"}): only Undo of an embedded Follow, Like, Announce or Block is applied");
        }
    }
}
