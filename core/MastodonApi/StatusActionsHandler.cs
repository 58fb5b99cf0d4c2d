using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Entities;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Statuses;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;
using Status = ServerlessFedi.Statuses.Status;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// What an account does to a status (docs: methods/statuses): favourite, reblog, bookmark, pin and their undo
/// (<see cref="StatusInteractions"/>); <c>/context</c>, <c>/favourited_by</c>, <c>/reblogged_by</c>; <c>/api/v1/favourites</c>
/// and <c>/api/v1/bookmarks</c>. An action answers the status acted on, a reblog Mastodon's boost wrapper.
/// </summary>
public sealed class StatusActionsHandler(
    ApiEndpoint api,
    StatusStore statuses,
    InteractionStore interactions,
    StatusInteractions actions,
    AccountDirectory directory,
    StatusRenderer renderer,
    AccountMapper accounts,
    InstanceUrls urls,
    TimeProvider time,
    ConversationMutes conversationMutes)
{
    public const int MaxPins = StatusInteractions.MaxPins;

    /// <summary>Ancestors shown by <c>/context</c> (oldest first) and descendants (breadth first).</summary>
    private const int MaxAncestors = 40;

    private const int MaxDescendants = 60;

    public Task<WireResult> ActAsync(HttpRequest request, string id, string action, CancellationToken cancellationToken)
    {
        var scope = action switch
        {
            "favourite" or "unfavourite" => "write:favourites",
            "bookmark" or "unbookmark" => "write:bookmarks",
            "pin" or "unpin" => "write:accounts",
            "mute" or "unmute" => "write:mutes",
            _ => "write:statuses",
        };
        return api.RunAsync(request, ApiAccess.Token(scope), async r =>
        {
            var me = r.Account;
            if (action == "reblog")
            {
                var (reblogged, announceId) = await actions.ReblogAsync(me, id, cancellationToken, r.Audit);
                r.AuditQueued = reblogged.AuditQueued;
                return reblogged.Status is { } boosted ? await ReblogAnswerAsync(me, boosted, announceId!, r.Audit?.Entry.At ?? time.GetUtcNow(), cancellationToken) : Error(reblogged.Error!.Value, reblogged.Message!);
            }

            if (action is "mute" or "unmute")
            {
                // docs: methods/statuses#mute: the conversation of any status the caller can see; no notifications about it.
                var status = await statuses.GetAsync(id, cancellationToken);
                if (status is null || status.DeletedAt is not null || !await renderer.CanSeeAsync(status, me, cancellationToken))
                {
                    return NotFound();
                }

                await conversationMutes.SetAsync(me.Id, status, action == "mute", cancellationToken);
                return await renderer.ShowAsync(status, me, cancellationToken) is { } muted ? Ok(muted, Wire.Status) : NotFound();
            }

            var result = action switch
            {
                "favourite" => await actions.FavouriteAsync(me, id, cancellationToken, r.Audit),
                "unfavourite" => await actions.UnfavouriteAsync(me, id, cancellationToken),
                "unreblog" => await actions.UnreblogAsync(me, id, cancellationToken),
                "bookmark" => await actions.BookmarkAsync(me, id, on: true, cancellationToken),
                "unbookmark" => await actions.BookmarkAsync(me, id, on: false, cancellationToken),
                "pin" => await actions.PinAsync(me, id, cancellationToken),
                "unpin" => await actions.UnpinAsync(me, id, cancellationToken),
                _ => StatusResult.NotFound(RecordNotFound),
            };
            r.AuditQueued = result.AuditQueued;
            if (result.Status is not { } acted)
            {
                return Error(result.Error!.Value, result.Message!);
            }

            return await renderer.ShowAsync(acted, me, cancellationToken) is { } shown ? Ok(shown, Wire.Status) : NotFound();
        }, cancellationToken);
    }

    /// <summary>
    /// <c>GET /api/v1/statuses/:id/context</c>: ancestors (up to 40, oldest first) and descendants (breadth first, up to
    /// 60) the viewer may see. Storage: 1 point read per ancestor, 1 range query + 1 read per reply per level.
    /// </summary>
    public Task<WireResult> ContextAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.OptionalToken("read:statuses"), async r =>
        {
            var status = await statuses.GetAsync(id, cancellationToken);
            if (status is null || !await renderer.CanSeeAsync(status, r.Viewer, cancellationToken))
            {
                return NotFound();
            }

            var ancestors = new List<Status>();
            var cursor = status;
            while (cursor.InReplyToId is { } parentId && ancestors.Count < MaxAncestors && await statuses.GetAsync(parentId, cancellationToken) is { } parent)
            {
                ancestors.Insert(0, parent);
                cursor = parent;
            }

            var descendants = new List<Status>();
            var queue = new Queue<string>([status.Id]);
            while (queue.Count > 0 && descendants.Count < MaxDescendants)
            {
                var replies = await statuses.GetManyAsync(await statuses.GetReplyIdsAsync(queue.Dequeue(), MaxDescendants, cancellationToken), cancellationToken);
                foreach (var reply in replies.Where(s => s.DeletedAt is null))
                {
                    descendants.Add(reply);
                    queue.Enqueue(reply.Id);
                }
            }

            var visibleAncestors = await renderer.VisibleAsync(ancestors, r.Viewer, cancellationToken);
            var visibleDescendants = await renderer.VisibleAsync(descendants.Take(MaxDescendants), r.Viewer, cancellationToken);
            return Ok(new Context(
                await renderer.ListAsync(visibleAncestors, r.Viewer, cancellationToken, Filters.FilterContexts.Thread),
                await renderer.ListAsync(visibleDescendants, r.Viewer, cancellationToken, Filters.FilterContexts.Thread)), Wire.Context);
        }, cancellationToken);

    /// <summary><c>/favourited_by</c> and <c>/reblogged_by</c>: the accounts, local and remote.</summary>
    public Task<WireResult> ActorsAsync(HttpRequest request, string id, InteractionKind kind, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.OptionalToken("read:accounts"), async r =>
        {
            var status = await statuses.GetAsync(id, cancellationToken);
            if (status is null || !await renderer.CanSeeAsync(status, r.Viewer, cancellationToken))
            {
                return NotFound();
            }

            var who = await interactions.ListActorsAsync(kind, status.Id, r.Limit(40, 80), cancellationToken);
            var refs = await Task.WhenAll(who.Select(w => directory.GetByActorIdAsync(w.ActorId, cancellationToken)));
            return Ok([.. refs.OfType<AccountRef>().Select(accounts.ToAccount)], Wire.IReadOnlyListAccount);
        }, cancellationToken);

    /// <summary><c>GET /api/v1/favourites</c> and <c>/api/v1/bookmarks</c>: newest status first, paged by <c>max_id</c>.</summary>
    public Task<WireResult> MarkedAsync(HttpRequest request, InteractionKind kind, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token(kind == InteractionKind.Favourite ? "read:favourites" : "read:bookmarks"), async r =>
        {
            var page = r.Page();
            var ids = await interactions.ListMarkedAsync(r.Account.Id, kind, page.MaxId, page.Limit, cancellationToken);
            var visible = await renderer.VisibleAsync(await statuses.GetManyAsync(ids, cancellationToken), r.Account, cancellationToken);
            var shown = await renderer.ListAsync(visible, r.Account, cancellationToken);
            return Ok(shown, Wire.IReadOnlyListStatus).WithPageLinks(PageLinks.Build(urls, request, page with { MinId = null, SinceId = null }, ids));
        }, cancellationToken);

    /// <summary>
    /// The answer to a reblog: a status by the booster whose <c>reblog</c> is the original, as Mastodon answers; its id
    /// made at <paramref name="at"/> (the audit row's time, so the row names it).
    /// </summary>
    private async Task<WireResult> ReblogAnswerAsync(LocalAccount me, Status status, string announceId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (await renderer.ShowAsync(status, me, cancellationToken) is not { } shown)
        {
            return NotFound();
        }

        var original = shown with { Reblogged = true };
        return Ok(original with
        {
            Id = ReblogResult.WrapperId(at, announceId),
            Uri = announceId,
            Url = null,
            Account = accounts.ToAccount(me),
            Content = "",
            SpoilerText = "",
            InReplyToId = null,
            InReplyToAccountId = null,
            Mentions = [],
            Tags = [],
            Reblog = original,
        }, Wire.Status);
    }
}
