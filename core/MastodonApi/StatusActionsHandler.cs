using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Http;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// What an account does to a status (docs: methods/statuses): favourite, reblog, bookmark, pin and their undo;
/// <c>/context</c>, <c>/favourited_by</c>, <c>/reblogged_by</c>; <c>/api/v1/favourites</c> and <c>/api/v1/bookmarks</c>.
/// Favourites and reblogs of remote statuses are sent to their author's server (Like, Announce, Undo); on local
/// statuses they notify the author. Repeating an action changes nothing and answers the status again.
/// </summary>
public sealed class StatusActionsHandler(
    ApiAuth auth,
    StatusStore statuses,
    InteractionStore interactions,
    NotificationStore notifications,
    AccountDirectory directory,
    StatusRenderer renderer,
    ActivityBuilder builder,
    ActivityPublisher publisher,
    MastodonMapper mapper,
    InstanceUrls urls,
    TimeProvider time)
{
    public const int MaxPins = InteractionStore.MaxPins;

    public async Task<WireResult> ActAsync(HttpRequest request, string id, string action, CancellationToken cancellationToken)
    {
        var scope = action switch
        {
            "favourite" or "unfavourite" => "write:favourites",
            "bookmark" or "unbookmark" => "write:bookmarks",
            "pin" or "unpin" => "write:accounts",
            _ => "write:statuses",
        };
        var (me, _, failure) = await auth.AuthenticateAsync(request, scope, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var status = await statuses.GetAsync(id, cancellationToken);
        if (status?.ReblogOfId is { } originalId)
        {
            status = await statuses.GetAsync(originalId, cancellationToken); // acting on a boost acts on the boosted status
        }

        if (status is null || !await renderer.CanSeeAsync(status, me, cancellationToken))
        {
            return NotFound();
        }

        var author = await directory.GetByApiIdAsync(status.AccountId, cancellationToken);
        if (author is null)
        {
            return NotFound();
        }

        var myActor = urls.Actor(me!.Username);
        var objectUri = renderer.UriOf(status, author);
        switch (action)
        {
            case "favourite":
                {
                    var like = builder.Like(me, objectUri);
                    if (await interactions.AddAsync(InteractionKind.Favourite, status.Id, myActor, me.Id, me.Id, like["id"]!.GetValue<string>(), cancellationToken))
                    {
                        status = await statuses.AdjustCountsAsync(status.Id, favourites: +1, cancellationToken: cancellationToken) ?? status;
                        await TellAuthorAsync(me, author, status, like, NotificationType.Favourite, cancellationToken);
                    }

                    break;
                }

            case "unfavourite":
                {
                    var (removed, _) = await interactions.RemoveAsync(InteractionKind.Favourite, status.Id, myActor, me.Id, cancellationToken);
                    if (removed)
                    {
                        status = await statuses.AdjustCountsAsync(status.Id, favourites: -1, cancellationToken: cancellationToken) ?? status;
                        if (author.Remote is not null)
                        {
                            await publisher.SendAsync(me, builder.Undo(me, builder.Like(me, objectUri)), author.DeliveryInbox!, cancellationToken);
                        }
                    }

                    break;
                }

            case "reblog":
                {
                    if (!NoteMapper.IsPubliclyReadable(status))
                    {
                        return WireResult.Error(StatusCodes.Status422UnprocessableEntity, "Validation failed: Reblog of a private or direct status is not allowed").WithCors();
                    }

                    var announce = builder.Announce(me, objectUri, author.ActorId, time.GetUtcNow());
                    if (await interactions.AddAsync(InteractionKind.Reblog, status.Id, myActor, me.Id, me.Id, announce["id"]!.GetValue<string>(), cancellationToken))
                    {
                        status = await statuses.AdjustCountsAsync(status.Id, reblogs: +1, cancellationToken: cancellationToken) ?? status;
                        if (author.Local is not null && author.ApiId != me.Id)
                        {
                            await notifications.AddAsync(author.ApiId, NotificationType.Reblog, myActor, status.Id, announce["id"]!.GetValue<string>(), cancellationToken);
                        }

                        // Followers' servers and the author's server learn of the boost.
                        await publisher.PublishAsync(me, announce, author.Remote is null ? null : [author.Remote.DeliveryInbox], skipFollowers: false, cancellationToken);
                    }

                    return await ReblogAnswerAsync(me, status, announce, cancellationToken);
                }

            case "unreblog":
                {
                    var (removed, _) = await interactions.RemoveAsync(InteractionKind.Reblog, status.Id, myActor, me.Id, cancellationToken);
                    if (removed)
                    {
                        status = await statuses.AdjustCountsAsync(status.Id, reblogs: -1, cancellationToken: cancellationToken) ?? status;
                        var announce = builder.Announce(me, objectUri, author.ActorId, time.GetUtcNow());
                        await publisher.PublishAsync(me, builder.Undo(me, announce), author.Remote is null ? null : [author.Remote.DeliveryInbox], skipFollowers: false, cancellationToken);
                    }

                    break;
                }

            case "bookmark":
                await interactions.AddAsync(InteractionKind.Bookmark, status.Id, myActor, me.Id, me.Id, null, cancellationToken);
                break;
            case "unbookmark":
                await interactions.RemoveAsync(InteractionKind.Bookmark, status.Id, myActor, me.Id, cancellationToken);
                break;
            case "pin":
                if (status.AccountId != me.Id || !NoteMapper.IsPubliclyReadable(status))
                {
                    return WireResult.Error(StatusCodes.Status422UnprocessableEntity, "Validation failed: Only your own public or unlisted posts can be pinned").WithCors();
                }

                if ((await interactions.ListMarkedAsync(me.Id, InteractionKind.Pin, null, MaxPins + 1, cancellationToken)) is { Count: >= MaxPins } pins && !pins.Contains(status.Id))
                {
                    return WireResult.Error(StatusCodes.Status422UnprocessableEntity, $"Validation failed: You can pin at most {MaxPins} posts").WithCors();
                }

                await interactions.AddAsync(InteractionKind.Pin, status.Id, myActor, me.Id, me.Id, null, cancellationToken);
                break;
            case "unpin":
                await interactions.RemoveAsync(InteractionKind.Pin, status.Id, myActor, me.Id, cancellationToken);
                break;
            default:
                return NotFound();
        }

        return Ok(await renderer.RenderAsync(status, me, cancellationToken) ?? new JsonObject());
    }

    /// <summary><c>GET /api/v1/statuses/:id/context</c>: ancestors (up to 40, oldest first) and descendants (breadth first, up to 60) the viewer may see.</summary>
    public async Task<WireResult> ContextAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (viewer, failure) = await auth.AuthenticateOptionalAsync(request, "read:statuses", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var status = await statuses.GetAsync(id, cancellationToken);
        if (status is null || !await renderer.CanSeeAsync(status, viewer, cancellationToken))
        {
            return NotFound();
        }

        var ancestors = new List<Status>();
        var cursor = status;
        while (cursor.InReplyToId is { } parentId && ancestors.Count < 40)
        {
            var parent = await statuses.GetAsync(parentId, cancellationToken);
            if (parent is null)
            {
                break;
            }

            ancestors.Insert(0, parent);
            cursor = parent;
        }

        var descendants = new List<Status>();
        var queue = new Queue<string>([status.Id]);
        while (queue.Count > 0 && descendants.Count < 60)
        {
            var replies = await statuses.GetManyAsync(await statuses.GetReplyIdsAsync(queue.Dequeue(), 60, cancellationToken), cancellationToken);
            foreach (var reply in replies.Where(r => r.DeletedAt is null))
            {
                descendants.Add(reply);
                queue.Enqueue(reply.Id);
            }
        }

        var visibleAncestors = new List<Status>();
        foreach (var s in ancestors)
        {
            if (await renderer.CanSeeAsync(s, viewer, cancellationToken))
            {
                visibleAncestors.Add(s);
            }
        }

        var visibleDescendants = new List<Status>();
        foreach (var s in descendants.Take(60))
        {
            if (await renderer.CanSeeAsync(s, viewer, cancellationToken))
            {
                visibleDescendants.Add(s);
            }
        }

        return Ok(new JsonObject
        {
            ["ancestors"] = await renderer.RenderAsync(visibleAncestors, viewer, cancellationToken, Filters.FilterContexts.Thread),
            ["descendants"] = await renderer.RenderAsync(visibleDescendants, viewer, cancellationToken, Filters.FilterContexts.Thread),
        });
    }

    /// <summary><c>/favourited_by</c> and <c>/reblogged_by</c>: the accounts, local and remote.</summary>
    public async Task<WireResult> ActorsAsync(HttpRequest request, string id, InteractionKind kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (viewer, failure) = await auth.AuthenticateOptionalAsync(request, "read:accounts", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var status = await statuses.GetAsync(id, cancellationToken);
        if (status is null || !await renderer.CanSeeAsync(status, viewer, cancellationToken))
        {
            return NotFound();
        }

        var limit = Math.Clamp(int.TryParse(request.Query["limit"], out var l) ? l : 40, 1, 80);
        var who = await interactions.ListActorsAsync(kind, status.Id, limit, cancellationToken);
        var refs = await Task.WhenAll(who.Select(w => directory.GetByActorIdAsync(w.ActorId, cancellationToken)));
        return Ok(new JsonArray(refs.OfType<AccountRef>().Select(a => (JsonNode)mapper.ToAccount(a)).ToArray()));
    }

    /// <summary><c>GET /api/v1/favourites</c> and <c>/api/v1/bookmarks</c>: newest status first, paged by <c>max_id</c>.</summary>
    public async Task<WireResult> MarkedAsync(HttpRequest request, InteractionKind kind, CancellationToken cancellationToken)
    {
        var (me, _, failure) = await auth.AuthenticateAsync(request, kind == InteractionKind.Favourite ? "read:favourites" : "read:bookmarks", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var page = PageRequest.Parse(request.Query);
        var ids = await interactions.ListMarkedAsync(me!.Id, kind, page.MaxId, page.Limit, cancellationToken);
        var loaded = await statuses.GetManyAsync(ids, cancellationToken);
        var visible = new List<Status>();
        foreach (var s in loaded)
        {
            if (await renderer.CanSeeAsync(s, me, cancellationToken))
            {
                visible.Add(s);
            }
        }

        var json = await renderer.RenderAsync(visible, me, cancellationToken);
        return Ok(json).WithPageLinks(PageLinks.Build(urls, request, page with { MinId = null, SinceId = null }, ids));
    }

    private async Task TellAuthorAsync(LocalAccount me, AccountRef author, Status status, JsonObject activity, NotificationType type, CancellationToken cancellationToken)
    {
        if (author.Local is not null)
        {
            if (author.ApiId != me.Id)
            {
                await notifications.AddAsync(author.ApiId, type, urls.Actor(me.Username), status.Id, activity["id"]!.GetValue<string>(), cancellationToken);
            }

            return;
        }

        await publisher.SendAsync(me, activity, author.DeliveryInbox!, cancellationToken);
    }

    /// <summary>The answer to a reblog: a status by the booster whose <c>reblog</c> is the original, as Mastodon answers.</summary>
    private async Task<WireResult> ReblogAnswerAsync(LocalAccount me, Status status, JsonObject announce, CancellationToken cancellationToken)
    {
        var original = await renderer.RenderAsync(status, me, cancellationToken);
        if (original is null)
        {
            return NotFound();
        }

        original["reblogged"] = true;
        var wrapper = (JsonObject)original.DeepClone();
        wrapper["id"] = Storage.SnowflakeIds.ForRemote(time.GetUtcNow(), time.GetUtcNow(), announce["id"]!.GetValue<string>());
        wrapper["uri"] = announce["id"]!.GetValue<string>();
        wrapper["url"] = null;
        wrapper["account"] = mapper.ToAccount(me);
        wrapper["content"] = "";
        wrapper["spoiler_text"] = "";
        wrapper["in_reply_to_id"] = null;
        wrapper["in_reply_to_account_id"] = null;
        wrapper["mentions"] = new JsonArray();
        wrapper["tags"] = new JsonArray();
        wrapper["reblog"] = original;
        return Ok(wrapper);
    }

    private static WireResult Ok(JsonNode json) => WireResult.Json(StatusCodes.Status200OK, json).WithCors();

    private static WireResult NotFound() => WireResult.Error(StatusCodes.Status404NotFound, "Record not found").WithCors();
}
