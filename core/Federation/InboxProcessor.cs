using System.Text.Json;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Configuration;
using ServerlessFedi.Statuses;

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
    ActivitySigner signer,
    PayloadStore payloads,
    WorkQueue queue,
    DeliveryHealth health,
    InstanceUrls urls,
    TimeProvider time,
    ILogger<InboxProcessor> logger,
    StatusStore statuses,
    InteractionStore interactions,
    FollowingStore following,
    TimelineStore timelines,
    ReportStore reports,
    AccountDirectory directory,
    RelationshipService relationships,
    HomeFeed homes,
    AccountDeletion deletion,
    AnnounceProcessor announces,
    RemoteObjectFetcher objects,
    FediOptions options)
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

        try
        {
            await ApplyAsync(type, activity, actorId, cancellationToken);
        }
        catch (InvalidOperationException)
        {
            // Queued before the actor's own Delete was applied: the actor is gone, so is the activity (no retries, no poison).
            if ((await actorCache.GetAsync(actorId, cancellationToken))?.DeletedAt is null)
            {
                throw;
            }

            LogIgnored(type ?? "(none)", actorId, "the actor has deleted itself");
        }
    }

    private async Task ApplyAsync(string? type, JsonElement activity, string actorId, CancellationToken cancellationToken)
    {
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
            case "Accept":
                await AcceptAsync(activity, actorId, cancellationToken);
                break;
            case "Reject":
                await RejectAsync(activity, actorId, cancellationToken);
                break;
            case "Create":
                await CreateAsync(activity, actorId, cancellationToken);
                break;
            case "Like":
                await LikeOrAnnounceAsync(activity, actorId, InteractionKind.Favourite, cancellationToken);
                break;
            case "Announce":
                await LikeOrAnnounceAsync(activity, actorId, InteractionKind.Reblog, cancellationToken);
                await announces.ApplyAsync(activity, actorId, cancellationToken);
                break;
            case "Block":
                await BlockAsync(activity, actorId, cancellationToken);
                break;
            case "Flag":
                await FlagAsync(activity, actorId, cancellationToken);
                break;
            case "Move":
                await MoveAsync(activity, actorId, cancellationToken);
                break;
            case "Add" or "Remove" or "EmojiReact":
                LogIgnored(type, actorId, "not applied on this server");
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
        if (await following.HasRelationAsync(RelationshipService.Block, account.Id, actorId, cancellationToken))
        {
            await SendAsync(account, builder.RejectFollow(account, followId, actorId), follower.Inbox, cancellationToken);
            return;
        }

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
        await SendAsync(account, builder.AcceptFollow(account, followId, actorId), follower.Inbox, cancellationToken);
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
            case "Like" or "Announce":
                if (ActorDocumentParser.String(inner, "actor") is { } likeActor && likeActor != actorId)
                {
                    LogIgnored("Undo", actorId, "it undoes another actor's activity");
                    return;
                }

                await UndoInteractionAsync(inner, actorId, innerType == "Like" ? InteractionKind.Favourite : InteractionKind.Reblog, cancellationToken);
                if (innerType == "Announce")
                {
                    await announces.UndoAsync(ActorDocumentParser.String(inner, "id"), actorId, cancellationToken);
                }
                break;
            case "Block":
                if (await LocalAccountOfAsync(ActorDocumentParser.String(inner, "object"), cancellationToken) is { } blocked)
                {
                    await following.SetRelationAsync(RelationshipService.BlockedBy, blocked.Id, actorId, RemoteAccountIds.For(actorId), on: false, cancellationToken);
                }

                break;
            default:
                if (inner.ValueKind == JsonValueKind.String && await announces.UndoAsync(inner.GetString(), actorId, cancellationToken))
                {
                    break; // an Undo naming a boost only by its id
                }

                LogIgnored($"Undo({innerType ?? "reference"})", actorId, "only Undo of an embedded Follow, Like, Announce or Block is applied");
                break;
        }
    }

    private async Task DeleteAsync(JsonElement activity, string actorId, CancellationToken cancellationToken)
    {
        var objectId = ActorDocumentParser.String(activity, "object");
        if (objectId != actorId)
        {
            await DeleteNoteAsync(objectId, actorId, cancellationToken);
            return;
        }

        // The actor deleted itself (the receiver checked that the signer is the actor): refuse it from now on and queue the
        // removal of its follows (both ways) and stored statuses.
        await deletion.DeleteRemoteAsync(actorId, cancellationToken);
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

        if (activity.TryGetProperty("object", out var note) && RemoteNoteParser.IsNote(note))
        {
            await UpdateNoteAsync(note, actorId, cancellationToken);
            return;
        }

        LogIgnored("Update", actorId, "only updates of the actor and of notes are applied");
    }

    private async Task CreateAsync(JsonElement activity, string actorId, CancellationToken cancellationToken)
    {
        if (activity.TryGetProperty("object", out var obj) && obj.ValueKind == JsonValueKind.String)
        {
            // Only referenced (some servers send the id alone): fetch it once, signed, from its own server. An actor
            // creates notes on its own server only, so other URLs are not fetched (no requests on an attacker's behalf).
            obj = Uri.TryCreate(obj.GetString(), UriKind.Absolute, out var objUri) && ActorDocumentParser.SameOrigin(objUri, new Uri(actorId))
                ? await objects.FetchAsync(obj.GetString()!, cancellationToken) ?? default
                : default;
        }

        if (!RemoteNoteParser.IsNote(obj))
        {
            LogIgnored("Create", actorId, "its object is not a note (embedded or fetched)");
            return;
        }

        var author = await actors.GetActorAsync(actorId, refresh: false, cancellationToken)
            ?? throw new InvalidOperationException($"cannot fetch author {actorId}; retrying later");
        var (status, error) = RemoteNoteParser.Parse(obj, author, time.GetUtcNow(), options.AllowPrivateNetworks);
        if (status is null)
        {
            LogIgnored("Create", actorId, error!);
            return;
        }

        if (await statuses.GetIdByUriAsync(status.Uri!, cancellationToken) is not null)
        {
            return; // already stored: the same Create twice has effect once
        }

        Status? parent = null;
        if (status.InReplyToUri is { } parentUri && (directory.LocalStatusIdOf(parentUri) ?? await statuses.GetIdByUriAsync(parentUri, cancellationToken)) is { } parentId)
        {
            parent = await statuses.GetAsync(parentId, cancellationToken);
            parent = parent?.DeletedAt is null ? parent : null;
        }

        // Local accounts named in the tags or the addressing; remote mentions get their API ids.
        var mentions = new List<StatusMention>();
        var recipients = new Dictionary<string, LocalAccount>(StringComparer.Ordinal);
        var addressed = RemoteNoteParser.Audience(obj, "to");
        addressed.UnionWith(RemoteNoteParser.Audience(obj, "cc"));
        foreach (var m in status.Mentions)
        {
            if (directory.LocalUsernameOf(m.ActorId) is { } username && await accounts.GetByUsernameAsync(username, cancellationToken) is { } local)
            {
                mentions.Add(m with { Username = local.Username, Domain = null, ProfileUrl = urls.Profile(local.Username), AccountId = local.Id });
                recipients[local.Id] = local;
            }
            else if (directory.LocalUsernameOf(m.ActorId) is null)
            {
                mentions.Add(m with { AccountId = RemoteAccountIds.For(m.ActorId) });
            }
        }

        // A reply names its parent's author in the tags, the addressing and inReplyTo: read each account once.
        foreach (var target in addressed.Where(a => directory.LocalUsernameOf(a) is not null).Take(20))
        {
            if (recipients.Values.Any(r => r.Username == directory.LocalUsernameOf(target)))
            {
                continue;
            }

            if (await accounts.GetByUsernameAsync(directory.LocalUsernameOf(target)!, cancellationToken) is { } local)
            {
                recipients[local.Id] = local;
            }
        }

        if (parent is { IsLocal: true } && !recipients.ContainsKey(parent.AccountId) && await accounts.GetByIdAsync(parent.AccountId, cancellationToken) is { } parentAuthor)
        {
            recipients[parentAuthor.Id] = parentAuthor;
        }

        var localFollowers = await following.GetLocalFollowersOfAsync(actorId, cancellationToken);
        // A reply to a status we store is kept too (it counts in the parent's replies and shows in its context).
        if (recipients.Count == 0 && localFollowers.Count == 0 && parent is null)
        {
            LogIgnored("Create", actorId, "it concerns no local account");
            return;
        }

        status = status with { Mentions = mentions, InReplyToId = parent?.Id, InReplyToAccountId = parent?.AccountId };
        status = await statuses.AddRemoteAsync(status, cancellationToken);
        if (parent is not null)
        {
            await statuses.AdjustCountsAsync(parent.Id, replies: +1, cancellationToken: cancellationToken);
        }

        foreach (var recipient in recipients.Values)
        {
            if (!await following.HasRelationAsync(RelationshipService.Block, recipient.Id, actorId, cancellationToken))
            {
                await notifications.AddAsync(recipient.Id, NotificationType.Mention, actorId, status.Id, status.Uri!, cancellationToken);
            }
        }

        foreach (var followerId in localFollowers)
        {
            if (status.Visibility != Visibility.Direct || recipients.ContainsKey(followerId))
            {
                await homes.DeliverAsync(followerId, status, cancellationToken);
            }
        }

        if (status.Visibility == Visibility.Direct)
        {
            foreach (var recipient in recipients.Keys)
            {
                await timelines.AddAsync(TimelineStore.Home(recipient), status.Id, status.AccountId, cancellationToken);
            }
        }

        if (status.Visibility == Visibility.Public)
        {
            await timelines.AddAsync(TimelineStore.PublicRemote, status.Id, status.AccountId, cancellationToken);
            foreach (var tag in status.Tags)
            {
                await timelines.AddAsync(TimelineStore.Tag(tag), status.Id, status.AccountId, cancellationToken);
            }
        }
    }

    private async Task UpdateNoteAsync(JsonElement note, string actorId, CancellationToken cancellationToken)
    {
        var author = await actors.GetActorAsync(actorId, refresh: false, cancellationToken)
            ?? throw new InvalidOperationException($"cannot fetch author {actorId}; retrying later");
        var (edited, error) = RemoteNoteParser.Parse(note, author, time.GetUtcNow(), options.AllowPrivateNetworks);
        if (edited is null)
        {
            LogIgnored("Update", actorId, error!);
            return;
        }

        var existingId = await statuses.GetIdByUriAsync(edited.Uri!, cancellationToken);
        if (existingId is null || await statuses.EditRemoteAsync(existingId, stored => RemoteNoteParser.ApplyEdit(stored, edited, time.GetUtcNow()), cancellationToken) is null)
        {
            LogIgnored("Update", actorId, "the note is not stored here, is another actor's, or was edited later than this");
        }
    }

    private async Task DeleteNoteAsync(string? objectId, string actorId, CancellationToken cancellationToken)
    {
        var statusId = objectId is null ? null : await statuses.GetIdByUriAsync(objectId, cancellationToken);
        var status = statusId is null ? null : await statuses.GetAsync(statusId, cancellationToken);
        if (status is null || status.DeletedAt is not null)
        {
            return; // nothing stored (most deletes concern posts we never had)
        }

        if (status.AccountId != RemoteAccountIds.For(actorId))
        {
            LogIgnored("Delete", actorId, "it deletes another actor's note");
            return;
        }

        await statuses.MarkDeletedAsync(status, time.GetUtcNow(), cancellationToken);
        if (status.InReplyToId is { } parentId)
        {
            await statuses.AdjustCountsAsync(parentId, replies: -1, cancellationToken: cancellationToken);
        }
    }

    private async Task LikeOrAnnounceAsync(JsonElement activity, string actorId, InteractionKind kind, CancellationToken cancellationToken)
    {
        var type = kind == InteractionKind.Favourite ? "Like" : "Announce";
        var statusId = directory.LocalStatusIdOf(ActorDocumentParser.String(activity, "object"));
        var status = statusId is null ? null : await statuses.GetAsync(statusId, cancellationToken);
        if (status is null || status.DeletedAt is not null || !status.IsLocal)
        {
            LogIgnored(type, actorId, "its object is not a local status");
            return;
        }

        if (kind == InteractionKind.Reblog && !ActivityPub.NoteMapper.IsPubliclyReadable(status))
        {
            LogIgnored(type, actorId, "private and direct statuses cannot be boosted");
            return;
        }

        // A private or direct status may only be liked by its audience: the mentioned, and for private the followers.
        if (!ActivityPub.NoteMapper.IsPubliclyReadable(status) && !status.Mentions.Any(m => m.ActorId == actorId)
            && !(status.Visibility == Visibility.Private && await followers.IsFollowerAsync(status.AccountId, actorId, cancellationToken)))
        {
            LogIgnored(type, actorId, "the actor is not in the status's audience");
            return;
        }

        // The actor first (the API shows who it was): a failure here retries the whole message before anything changed.
        await actors.GetActorAsync(actorId, refresh: false, cancellationToken);
        var activityId = ActorDocumentParser.String(activity, "id") ?? $"{actorId}#{type}/{status.Id}";
        if (await interactions.AddAsync(kind, status.Id, actorId, RemoteAccountIds.For(actorId), null, activityId, cancellationToken))
        {
            await statuses.AdjustCountsAsync(status.Id, reblogs: kind == InteractionKind.Reblog ? 1 : 0, favourites: kind == InteractionKind.Favourite ? 1 : 0, cancellationToken: cancellationToken);
            if (!await following.HasRelationAsync(RelationshipService.Block, status.AccountId, actorId, cancellationToken))
            {
                await notifications.AddAsync(status.AccountId, kind == InteractionKind.Favourite ? NotificationType.Favourite : NotificationType.Reblog, actorId, status.Id, activityId, cancellationToken);
            }
        }
    }

    private async Task UndoInteractionAsync(JsonElement inner, string actorId, InteractionKind kind, CancellationToken cancellationToken)
    {
        var statusId = directory.LocalStatusIdOf(ActorDocumentParser.String(inner, "object"));
        if (statusId is null)
        {
            return;
        }

        var (removed, _) = await interactions.RemoveAsync(kind, statusId, actorId, null, cancellationToken);
        if (removed)
        {
            await statuses.AdjustCountsAsync(statusId, reblogs: kind == InteractionKind.Reblog ? -1 : 0, favourites: kind == InteractionKind.Favourite ? -1 : 0, cancellationToken: cancellationToken);
        }
    }

    /// <summary>The local account whose Follow an Accept or Reject answers: from the embedded Follow, or from our Follow id's actor part.</summary>
    private async Task<LocalAccount?> FollowerOfAnswerAsync(JsonElement activity, CancellationToken cancellationToken)
    {
        if (!activity.TryGetProperty("object", out var obj))
        {
            return null;
        }

        var follower = obj.ValueKind == JsonValueKind.Object
            ? ActorDocumentParser.String(obj, "actor")
            : obj.ValueKind == JsonValueKind.String ? obj.GetString()?.Split('#')[0] : null;
        return await LocalAccountOfAsync(follower, cancellationToken);
    }

    private async Task AcceptAsync(JsonElement activity, string actorId, CancellationToken cancellationToken)
    {
        if (await FollowerOfAnswerAsync(activity, cancellationToken) is not { } account || !await following.AcceptAsync(account.Id, actorId, cancellationToken))
        {
            LogIgnored("Accept", actorId, "it answers no pending follow of ours");
        }
    }

    private async Task RejectAsync(JsonElement activity, string actorId, CancellationToken cancellationToken)
    {
        if (await FollowerOfAnswerAsync(activity, cancellationToken) is { } account)
        {
            await following.RemoveAsync(account.Id, actorId, cancellationToken);
        }
    }

    private async Task BlockAsync(JsonElement activity, string actorId, CancellationToken cancellationToken)
    {
        if (await LocalAccountOfAsync(ActorDocumentParser.String(activity, "object"), cancellationToken) is not { } account)
        {
            LogIgnored("Block", actorId, "its object is not a local account");
            return;
        }

        // A block ends both follow directions (as Mastodon applies it); the blocked account is told nothing else.
        await followers.RemoveAsync(account.Id, actorId, cancellationToken);
        await followers.RemoveRequestAsync(account.Id, actorId, cancellationToken);
        await following.RemoveAsync(account.Id, actorId, cancellationToken);
        await following.SetRelationAsync(RelationshipService.BlockedBy, account.Id, actorId, RemoteAccountIds.For(actorId), on: true, cancellationToken);
    }

    private async Task FlagAsync(JsonElement activity, string actorId, CancellationToken cancellationToken)
    {
        var accountIds = new List<string>();
        var statusIds = new List<string>();
        foreach (var item in ActorDocumentParser.Many(activity, "object").Take(100))
        {
            var id = item.ValueKind == JsonValueKind.String ? item.GetString() : ActorDocumentParser.String(item, "id");
            if (directory.LocalStatusIdOf(id) is { } statusId)
            {
                statusIds.Add(statusId);
            }
            else if (await LocalAccountOfAsync(id, cancellationToken) is { } account)
            {
                accountIds.Add(account.Id);
            }
        }

        if (accountIds.Count == 0 && statusIds.Count == 0)
        {
            LogIgnored("Flag", actorId, "it reports nothing local");
            return;
        }

        var flagId = ActorDocumentParser.String(activity, "id") ?? $"{actorId}#flag/{string.Join(',', accountIds.Concat(statusIds))}";
        await reports.AddAsync(flagId, actorId, accountIds.Distinct().ToList(), statusIds.Distinct().ToList(), ActorDocumentParser.String(activity, "content") ?? "", cancellationToken);
    }

    private async Task MoveAsync(JsonElement activity, string actorId, CancellationToken cancellationToken)
    {
        var target = ActorDocumentParser.String(activity, "target");
        if (ActorDocumentParser.String(activity, "object") != actorId || target is null || target == actorId)
        {
            LogIgnored("Move", actorId, "it moves another actor or names no target");
            return;
        }

        // The new account must name the old one (alsoKnownAs), or anyone could redirect an account's followers.
        var newActor = await actors.GetActorAsync(target, refresh: true, cancellationToken);
        if (newActor is null || !newActor.AlsoKnownAs.Contains(actorId, StringComparer.Ordinal))
        {
            LogIgnored("Move", actorId, "the target does not name the moving account in alsoKnownAs");
            return;
        }

        var oldActor = await actors.GetActorAsync(actorId, refresh: true, cancellationToken);
        foreach (var accountId in await following.GetLocalFollowersOfAsync(actorId, cancellationToken))
        {
            if (await accounts.GetByIdAsync(accountId, cancellationToken) is not { } account)
            {
                continue;
            }

            await relationships.FollowAsync(account, AccountDirectory.Of(newActor), cancellationToken);
            if (oldActor is not null)
            {
                await relationships.UnfollowAsync(account, AccountDirectory.Of(oldActor), cancellationToken);
            }
            else
            {
                await following.RemoveAsync(accountId, actorId, cancellationToken);
            }
        }
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

    private async Task SendAsync(LocalAccount sender, System.Text.Json.Nodes.JsonObject activity, string inbox, CancellationToken cancellationToken)
    {
        var (inline, blob) = await payloads.StoreAsync(signer.Sign(sender, activity).ToJsonString(), cancellationToken);
        await queue.SendDeliveryAsync(new DeliveryMessage(sender.Id, inbox, inline, blob, 1, time.GetUtcNow()), null, cancellationToken);
    }

    private void LogIgnored(string type, string actorId, string reason) =>
        logger.LogInformation("Ignored {Type} from {Actor}: {Reason}", type, actorId, reason);
}
