using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Configuration;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// Boosts by remote actors that local accounts follow (Mastodon: a status whose <c>reblog</c> is the boosted one). The boosted
/// public or unlisted note (local, stored, or fetched once through <see cref="RemoteObjectFetcher"/> with its author) is
/// stored, the boost is stored as a content-less status with <see cref="Status.ReblogOfId"/> and the Announce's id as its URI,
/// and it goes into the home timelines and lists of the booster's local followers, except those who hid its boosts
/// (the follow's <c>reblogs</c>). Notifications and counts of boosts of local statuses stay with
/// <see cref="InboxProcessor"/>.
/// Storage for a boost of a stored note: 1 query (local followers) + 1 point read (URI index) + 1-2 reads (original) + 3 upserts
/// (the boost) + 2 per count (remote original) + per follower the <see cref="HomeFeed"/> cost. A fetched original adds 1 GET,
/// the author's actor (cached, else 1 GET + its cache writes) and 3 upserts (+1 read and 2 writes for a stored parent).
/// </summary>
public sealed class AnnounceProcessor(
    StatusStore statuses,
    RemoteObjectFetcher objects,
    RemoteActorResolver actors,
    FollowingStore following,
    HomeFeed homes,
    TimelineStore timelines,
    AccountDirectory directory,
    AccountStore accounts,
    InstanceUrls urls,
    FediOptions options,
    TimeProvider time,
    ILogger<AnnounceProcessor> logger)
{
    public async Task ApplyAsync(JsonElement activity, string actorId, CancellationToken cancellationToken)
    {
        var announceId = ActorDocumentParser.String(activity, "id");
        if (announceId is null || !Uri.TryCreate(announceId, UriKind.Absolute, out var announceUri) || !ActorDocumentParser.SameOrigin(announceUri, new Uri(actorId)))
        {
            LogIgnored(actorId, "it has no id on the booster's server");
            return;
        }

        var localFollowers = await following.GetLocalFollowersShowingReblogsAsync(actorId, cancellationToken);
        if (localFollowers.Count == 0)
        {
            return; // nobody here follows the booster with boosts shown (a boost of a local status was counted by the caller)
        }

        if (await statuses.GetIdByUriAsync(announceId, cancellationToken) is not null)
        {
            return; // already applied: the same Announce twice has effect once
        }

        var original = await OriginalOfAsync(ActorDocumentParser.String(activity, "object"), cancellationToken);
        if (original is null || original.DeletedAt is not null || original.ReblogOfId is not null || !NoteMapper.IsPubliclyReadable(original))
        {
            LogIgnored(actorId, "its object is not an available public or unlisted note");
            return;
        }

        var booster = await actors.GetActorAsync(actorId, refresh: false, cancellationToken)
            ?? throw new InvalidOperationException($"cannot fetch booster {actorId}; retrying later");
        var now = time.GetUtcNow();
        var published = DateTimeOffset.TryParse(ActorDocumentParser.String(activity, "published"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var p) && p < now ? p : now;
        var to = RemoteNoteParser.Audience(activity, "to");
        var cc = RemoteNoteParser.Audience(activity, "cc");
        var boost = new Status
        {
            Id = SnowflakeIds.ForRemote(published, now, announceId),
            AccountId = booster.AccountId,
            Text = "",
            ContentHtml = "",
            Visibility = RemoteNoteParser.IsPublic(to) ? Visibility.Public : RemoteNoteParser.IsPublic(cc) ? Visibility.Unlisted : Visibility.Private,
            CreatedAt = published,
            Uri = announceId,
            ReblogOfId = original.Id,
        };
        boost = await statuses.AddRemoteAsync(boost, cancellationToken);
        if (!original.IsLocal)
        {
            await statuses.AdjustCountsAsync(original.Id, reblogs: +1, cancellationToken: cancellationToken);
        }

        foreach (var followerId in localFollowers)
        {
            // The author of the boosted post is told by a notification instead (Mastodon keeps own posts' boosts out of home too).
            if (followerId != original.AccountId)
            {
                await homes.DeliverAsync(followerId, boost, cancellationToken);
            }
        }
    }

    /// <summary>Undo(Announce): the boost leaves the followers' homes and lists and is marked deleted; false when none was stored.</summary>
    public async Task<bool> UndoAsync(string? announceId, string actorId, CancellationToken cancellationToken)
    {
        var id = announceId is null ? null : await statuses.GetIdByUriAsync(announceId, cancellationToken);
        var boost = id is null ? null : await statuses.GetAsync(id, cancellationToken);
        if (boost is null || boost.DeletedAt is not null || boost.ReblogOfId is null || boost.AccountId != RemoteAccountIds.For(actorId))
        {
            return false;
        }

        await statuses.MarkDeletedAsync(boost, time.GetUtcNow(), cancellationToken);
        if (await statuses.GetAsync(boost.ReblogOfId, cancellationToken) is { IsLocal: false } original)
        {
            await statuses.AdjustCountsAsync(original.Id, reblogs: -1, cancellationToken: cancellationToken);
        }

        foreach (var followerId in await following.GetLocalFollowersOfAsync(actorId, cancellationToken))
        {
            await homes.RemoveAsync(followerId, boost, cancellationToken);
        }

        return true;
    }

    /// <summary>The boosted status: local, stored, or fetched and stored now (one GET for the note, its author from the cache or one GET).</summary>
    private async Task<Status?> OriginalOfAsync(string? objectId, CancellationToken cancellationToken)
    {
        if (objectId is null)
        {
            return null;
        }

        if ((directory.LocalStatusIdOf(objectId) ?? await statuses.GetIdByUriAsync(objectId, cancellationToken)) is { } storedId)
        {
            return await statuses.GetAsync(storedId, cancellationToken);
        }

        if (directory.LocalUsernameOf(objectId) is not null || objectId.StartsWith(urls.Base + "/", StringComparison.Ordinal))
        {
            return null; // one of ours that does not exist: never fetch our own URLs
        }

        // The embedded copy (if any) is not trusted: the fetch from the note's own server proves it.
        if (await objects.FetchAsync(objectId, cancellationToken) is not { } note || !RemoteNoteParser.IsNote(note))
        {
            return null;
        }

        var authorId = ActorDocumentParser.Many(note, "attributedTo").Select(a => a.ValueKind == JsonValueKind.String ? a.GetString() : ActorDocumentParser.String(a, "id")).FirstOrDefault(a => a is not null);
        if (authorId is null || !Uri.TryCreate(authorId, UriKind.Absolute, out var authorUri) || !ActorDocumentParser.SameOrigin(authorUri, new Uri(objectId)))
        {
            return null;
        }

        var author = await actors.GetActorAsync(authorId, refresh: false, cancellationToken);
        if (author is null)
        {
            return null;
        }

        var (status, error) = RemoteNoteParser.Parse(note, author, time.GetUtcNow(), options.AllowPrivateNetworks);
        if (status is null)
        {
            logger.LogInformation("Boosted note {Note} refused: {Reason}", objectId, error);
            return null;
        }

        var mentions = new List<StatusMention>();
        foreach (var m in status.Mentions)
        {
            if (directory.LocalUsernameOf(m.ActorId) is { } username)
            {
                if (await accounts.GetByUsernameAsync(username, cancellationToken) is { } local)
                {
                    mentions.Add(m with { Username = local.Username, Domain = null, ProfileUrl = urls.Profile(local.Username), AccountId = local.Id });
                }
            }
            else
            {
                mentions.Add(m with { AccountId = RemoteAccountIds.For(m.ActorId) });
            }
        }

        Status? parent = null;
        if (status.InReplyToUri is { } parentUri && (directory.LocalStatusIdOf(parentUri) ?? await statuses.GetIdByUriAsync(parentUri, cancellationToken)) is { } parentId)
        {
            parent = await statuses.GetAsync(parentId, cancellationToken) is { DeletedAt: null } p ? p : null;
        }

        status = status with { Mentions = mentions, InReplyToId = parent?.Id, InReplyToAccountId = parent?.AccountId };
        status = await statuses.AddRemoteAsync(status, cancellationToken);
        if (parent is not null)
        {
            await statuses.AdjustCountsAsync(parent.Id, replies: +1, cancellationToken: cancellationToken);
        }

        if (status.Visibility == Visibility.Public)
        {
            foreach (var tag in status.Tags)
            {
                await timelines.AddAsync(TimelineStore.Tag(tag), status.Id, status.AccountId, cancellationToken);
            }
        }

        return status;
    }

    private void LogIgnored(string actorId, string reason) =>
        logger.LogInformation("Ignored {Type} from {Actor}: {Reason}", "Announce", actorId, reason);
}
