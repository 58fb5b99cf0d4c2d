using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation.Inbox;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Federation;

/// <summary>
/// Boosts by remote actors that local accounts follow, from their <c>Announce</c>: the boosted public or unlisted note
/// (local, stored, or fetched once through <see cref="RemoteObjectFetcher"/> with its author and stored by
/// <see cref="RemoteStatusIngest"/>) and the boost, a status by the booster with the Announce's id as URI, which
/// <see cref="RemoteBoosts"/> stores for the booster's local followers, except those who hid its boosts (the follow's
/// <c>reblogs</c>). Notifications and counts of boosts of local statuses are <see cref="StatusInteractions"/>'.
/// Storage for a boost of a stored note: 1 query (local followers; none for an actor nobody here follows,
/// <see cref="FollowingStore.Followed"/>) + 1 point read (URI index) + 1-2 reads (original) +
/// <see cref="RemoteBoosts.StoreAsync"/>. A fetched original adds 1 GET, the author's actor (cached, else 1 GET + its
/// cache writes) and <see cref="RemoteStatusIngest.StoreBoostedAsync"/>.
/// </summary>
public sealed class AnnounceProcessor(
    StatusStore statuses,
    RemoteObjectFetcher objects,
    RemoteActorResolver actors,
    FollowingStore following,
    RemoteStatusIngest ingest,
    RemoteBoosts boosts,
    InstanceUrls urls,
    FediOptions options,
    TimeProvider time,
    ILogger<AnnounceProcessor> logger)
{
    public async Task<ActivityOutcome> ApplyAsync(InboundActivity announce, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(announce);
        var actorId = announce.ActorId;
        var announceId = announce.Id;
        if (announceId is null || !Uri.TryCreate(announceId, UriKind.Absolute, out var announceUri) || !ActorDocumentParser.SameOrigin(announceUri, new Uri(actorId)))
        {
            return new ActivityOutcome.Ignored("it has no id on the booster's server");
        }

        var localFollowers = await following.GetLocalFollowersShowingReblogsAsync(actorId, cancellationToken);
        if (localFollowers.Count == 0)
        {
            return new ActivityOutcome.Ignored("nobody here follows the booster with boosts shown");
        }

        if (await statuses.GetIdByUriAsync(announceId, cancellationToken) is not null)
        {
            return ActivityOutcome.Done; // already applied: the same Announce twice has effect once
        }

        var original = await OriginalOfAsync(announce.ObjectId, cancellationToken);
        if (original is null || original.DeletedAt is not null || original.ReblogOfId is not null || !NoteMapper.IsPubliclyReadable(original))
        {
            return new ActivityOutcome.Ignored("its object is not an available public or unlisted note");
        }

        var booster = await actors.GetActorAsync(actorId, refresh: false, cancellationToken);
        if (booster is null)
        {
            return new ActivityOutcome.RetryLater($"cannot fetch booster {actorId}");
        }

        var now = time.GetUtcNow();
        var published = DateTimeOffset.TryParse(ActorDocumentParser.String(announce.Activity, "published"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var p) && p < now ? p : now;
        var to = RemoteNoteParser.Audience(announce.Activity, "to");
        var cc = RemoteNoteParser.Audience(announce.Activity, "cc");
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
        await boosts.StoreAsync(boost, original, localFollowers, cancellationToken);
        return ActivityOutcome.Done;
    }

    /// <summary>Undo(Announce) of a boost stored here; false when none was stored.</summary>
    public Task<bool> UndoAsync(string? announceId, string actorId, CancellationToken cancellationToken) =>
        boosts.UndoAsync(announceId, actorId, cancellationToken);

    /// <summary>The boosted status: local, stored, or fetched and stored now (one GET for the note, its author from the cache or one GET).</summary>
    private async Task<Status?> OriginalOfAsync(string? objectId, CancellationToken cancellationToken)
    {
        if (objectId is null)
        {
            return null;
        }

        if ((urls.StatusIdOf(objectId) ?? await statuses.GetIdByUriAsync(objectId, cancellationToken)) is { } storedId)
        {
            return await statuses.GetAsync(storedId, cancellationToken);
        }

        if (urls.IsOwn(objectId))
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

        return await ingest.StoreBoostedAsync(status, cancellationToken);
    }
}
