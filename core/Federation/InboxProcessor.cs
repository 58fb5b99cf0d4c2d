using System.Text.Json;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Configuration;

namespace ServerlessFedi.Federation;

/// <summary>
/// Applies inbound activities from the inbox queue, idempotently (a message may be processed more than once).
/// One exhaustive dispatch over the activity type; unknown types are acknowledged and ignored.
/// </summary>
public sealed class InboxProcessor(
    AccountStore accounts,
    FollowerStore followers,
    RemoteActorResolver actors,
    RemoteActorStore actorCache,
    NotificationStore notifications,
    ActivityBuilder builder,
    PayloadStore payloads,
    WorkQueue queue,
    DeliveryHealth health,
    InstanceUrls urls,
    TimeProvider time,
    ILogger<InboxProcessor> logger)
{
    public async Task ProcessAsync(InboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var json = await payloads.LoadAsync(message.Activity, message.PayloadBlob, cancellationToken);
        using var doc = JsonDocument.Parse(json);
        var activity = doc.RootElement;
        var type = ActorDocumentParser.TypeOf(activity);
        var actorId = ActorDocumentParser.String(activity, "actor") ?? message.SignerActorId;

        // A server that sends us activities is up: deliveries to it may resume.
        await health.RecordSuccessAsync(new Uri(actorId).Host, cancellationToken);

        switch (type)
        {
            case "Follow":
                await FollowAsync(activity, actorId, cancellationToken);
                break;
            case "Undo":
                await UndoAsync(activity, actorId, cancellationToken);
                break;
            case "Delete":
                await DeleteAsync(activity, actorId, cancellationToken);
                break;
            case "Update":
                await UpdateAsync(activity, actorId, cancellationToken);
                break;
            case "Accept" or "Reject":
                // Answers to our own Follow: local accounts do not follow remote ones yet.
                LogIgnored(type, actorId, "local accounts follow no remote accounts yet");
                break;
            case "Create" or "Announce" or "Like" or "Block" or "Flag" or "Move" or "Add" or "Remove" or "EmojiReact":
                LogIgnored(type, actorId, "not applied yet");
                break;
            default:
                LogIgnored(type ?? "(none)", actorId, "unknown activity type");
                break;
        }
    }

    private async Task FollowAsync(JsonElement activity, string actorId, CancellationToken cancellationToken)
    {
        var account = await LocalAccountOfAsync(ActorDocumentParser.String(activity, "object"), cancellationToken);
        if (account is null)
        {
            LogIgnored("Follow", actorId, "its object is not a local account");
            return;
        }

        var follower = await actors.GetActorAsync(actorId, refresh: false, cancellationToken)
            ?? throw new InvalidOperationException($"cannot fetch follower {actorId}; retrying later");
        var followId = ActorDocumentParser.String(activity, "id") ?? $"{actorId}#follows/{account.Id}";

        if (account.Locked && !await followers.IsFollowerAsync(account.Id, actorId, cancellationToken))
        {
            await followers.AddRequestAsync(account.Id, follower, followId, cancellationToken);
            await notifications.AddAsync(account.Id, NotificationType.FollowRequest, actorId, null, followId, cancellationToken);
            return;
        }

        if (await followers.AddAsync(account.Id, follower, followId, cancellationToken))
        {
            await notifications.AddAsync(account.Id, NotificationType.Follow, actorId, null, followId, cancellationToken);
        }

        // Accept even a repeated Follow: the follower's server may have missed our first Accept.
        await SendAsync(account, builder.AcceptFollow(account, followId, actorId).ToJsonString(), follower.Inbox, cancellationToken);
    }

    private async Task UndoAsync(JsonElement activity, string actorId, CancellationToken cancellationToken)
    {
        if (!activity.TryGetProperty("object", out var inner))
        {
            return;
        }

        // The object may be embedded or only referenced by id; for a Follow we need its object, so embedded is the norm.
        var innerType = inner.ValueKind == JsonValueKind.Object ? ActorDocumentParser.TypeOf(inner) : null;
        switch (innerType)
        {
            case "Follow":
                if (ActorDocumentParser.String(inner, "actor") is { } innerActor && innerActor != actorId)
                {
                    LogIgnored("Undo", actorId, "it undoes another actor's Follow");
                    return;
                }

                var account = await LocalAccountOfAsync(ActorDocumentParser.String(inner, "object"), cancellationToken);
                if (account is not null)
                {
                    await followers.RemoveAsync(account.Id, actorId, cancellationToken);
                    await followers.RemoveRequestAsync(account.Id, actorId, cancellationToken);
                }

                break;
            default:
                LogIgnored($"Undo({innerType ?? "reference"})", actorId, "not applied yet");
                break;
        }
    }

    private async Task DeleteAsync(JsonElement activity, string actorId, CancellationToken cancellationToken)
    {
        var objectId = ActorDocumentParser.String(activity, "object");
        if (objectId != actorId)
        {
            LogIgnored("Delete", actorId, "deleting objects other than the actor is not applied yet");
            return;
        }

        // The actor is gone: it follows no one here any more.
        foreach (var accountId in await followers.GetFollowedAccountIdsAsync(actorId, cancellationToken))
        {
            await followers.RemoveAsync(accountId, actorId, cancellationToken);
            await followers.RemoveRequestAsync(accountId, actorId, cancellationToken);
        }

        await actorCache.DeleteAsync(actorId, cancellationToken);
    }

    private async Task UpdateAsync(JsonElement activity, string actorId, CancellationToken cancellationToken)
    {
        var objectId = ActorDocumentParser.String(activity, "object");
        if (objectId == actorId)
        {
            // Refetch rather than trust the embedded copy: the signature covers the activity, the fetch proves the origin.
            await actors.GetActorAsync(actorId, refresh: true, cancellationToken);
            return;
        }

        LogIgnored("Update", actorId, "updates of objects other than the actor are not applied yet");
    }

    private async Task<LocalAccount?> LocalAccountOfAsync(string? actorUrl, CancellationToken cancellationToken)
    {
        var prefix = urls.Base + "/users/";
        if (actorUrl is null || !actorUrl.StartsWith(prefix, StringComparison.Ordinal) || actorUrl.IndexOf('/', prefix.Length) >= 0)
        {
            return null;
        }

        return await accounts.GetByUsernameAsync(actorUrl[prefix.Length..], cancellationToken);
    }

    private async Task SendAsync(LocalAccount sender, string activityJson, string inbox, CancellationToken cancellationToken)
    {
        var (inline, blob) = await payloads.StoreAsync(activityJson, cancellationToken);
        await queue.SendDeliveryAsync(new DeliveryMessage(sender.Id, inbox, inline, blob, 1, time.GetUtcNow()), null, cancellationToken);
    }

    private void LogIgnored(string type, string actorId, string reason) =>
        logger.LogInformation("Ignored {Type} from {Actor}: {Reason}", type, actorId, reason);
}
