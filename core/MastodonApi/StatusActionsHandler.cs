using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Http;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// What an account does to a status (docs: methods/statuses): favourite, reblog, bookmark, pin and their undo
/// (<see cref="StatusInteractions"/>); <c>/context</c>, <c>/favourited_by</c>, <c>/reblogged_by</c>; <c>/api/v1/favourites</c>
/// and <c>/api/v1/bookmarks</c>. An action answers the status acted on, a reblog Mastodon's boost wrapper.
/// </summary>
public sealed class StatusActionsHandler(
    ApiAuth auth,
    StatusStore statuses,
    InteractionStore interactions,
    StatusInteractions actions,
    AccountDirectory directory,
    StatusRenderer renderer,
    MastodonMapper mapper,
    InstanceUrls urls,
    TimeProvider time)
{
    public const int MaxPins = StatusInteractions.MaxPins;

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

        if (action == "reblog")
        {
            var (reblogged, announceId) = await actions.ReblogAsync(me!, id, cancellationToken);
            return reblogged.Status is null ? Error(reblogged) : await ReblogAnswerAsync(me!, reblogged.Status, announceId!, cancellationToken);
        }

        var result = action switch
        {
            "favourite" => await actions.FavouriteAsync(me!, id, cancellationToken),
            "unfavourite" => await actions.UnfavouriteAsync(me!, id, cancellationToken),
            "unreblog" => await actions.UnreblogAsync(me!, id, cancellationToken),
            "bookmark" => await actions.BookmarkAsync(me!, id, on: true, cancellationToken),
            "unbookmark" => await actions.BookmarkAsync(me!, id, on: false, cancellationToken),
            "pin" => await actions.PinAsync(me!, id, cancellationToken),
            "unpin" => await actions.UnpinAsync(me!, id, cancellationToken),
            _ => StatusResult.NotFound("Record not found"),
        };
        return result.Status is null ? Error(result) : Ok(await renderer.RenderAsync(result.Status, me, cancellationToken) ?? new JsonObject());
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

    /// <summary>The answer to a reblog: a status by the booster whose <c>reblog</c> is the original, as Mastodon answers.</summary>
    private async Task<WireResult> ReblogAnswerAsync(LocalAccount me, Status status, string announceId, CancellationToken cancellationToken)
    {
        var original = await renderer.RenderAsync(status, me, cancellationToken);
        if (original is null)
        {
            return NotFound();
        }

        original["reblogged"] = true;
        var wrapper = (JsonObject)original.DeepClone();
        wrapper["id"] = Storage.SnowflakeIds.ForRemote(time.GetUtcNow(), time.GetUtcNow(), announceId);
        wrapper["uri"] = announceId;
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

    private static WireResult Error(StatusResult result) => WireResult.Error(result.ErrorStatus, result.Error!).WithCors();
}
