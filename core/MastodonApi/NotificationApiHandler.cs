using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Http;
using ServerlessFedi.Notifications;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>/api/v1/notifications</c> (docs: methods/notifications): list with <c>types[]</c>, <c>exclude_types[]</c> and
/// <c>account_id</c>, show, dismiss, clear, <c>unread_count</c>. A list leaves out senders the viewer hides
/// (<see cref="Notifier.ShownToAsync"/>). A page is 1-10 range queries + 3 (what the viewer hides) + the lookups of its
/// accounts and statuses.
/// </summary>
public sealed class NotificationApiHandler(ApiAuth auth, NotificationStore notifications, AccountDirectory directory, StatusStore statuses, StatusRenderer renderer, MastodonMapper mapper, InstanceUrls urls, MarkerStore markers, Notifier notifier)
{
    /// <summary>Mastodon's type names, in the order of <see cref="NotificationType"/>.</summary>
    public static string TypeName(NotificationType type) => type switch
    {
        NotificationType.FollowRequest => "follow_request",
        _ => type.ToString().ToLowerInvariant(),
    };

    public async Task<WireResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (me, _, failure) = await auth.AuthenticateAsync(request, "read:notifications", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var (p, error) = await ApiParameters.ReadAsync(request, cancellationToken);
        if (p is null)
        {
            return WireResult.Error(StatusCodes.Status400BadRequest, error!).WithCors();
        }

        var page = PageRequest.Parse(request.Query, defaultLimit: 40, maxLimit: 80);
        var types = p.GetAll("types").ToHashSet(StringComparer.Ordinal);
        var excluded = p.GetAll("exclude_types").ToHashSet(StringComparer.Ordinal);
        var fromAccount = p.Get("account_id");
        var fromActor = fromAccount is null ? null : (await directory.GetByApiIdAsync(fromAccount, cancellationToken))?.ActorId ?? "";
        var shown = await notifier.ShownToAsync(me!.Id, cancellationToken);
        var items = await notifications.PageAsync(me!.Id, page.MaxId, page.SinceId, page.MinId, page.Limit, n =>
            shown(n) && (types.Count == 0 || types.Contains(TypeName(n.Type))) && !excluded.Contains(TypeName(n.Type)) && (fromActor is null || n.FromActorId == fromActor), cancellationToken);
        var json = await RenderAsync(items, me, cancellationToken);
        return WireResult.Json(StatusCodes.Status200OK, json).WithCors().WithPageLinks(PageLinks.Build(urls, request, page, items.Select(n => n.Id).ToList()));
    }

    public async Task<WireResult> GetAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (me, _, failure) = await auth.AuthenticateAsync(request, "read:notifications", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var n = await notifications.GetAsync(me!.Id, id, cancellationToken);
        var json = n is null ? null : await RenderAsync([n], me, cancellationToken);
        return json is { Count: 1 } ? WireResult.Json(StatusCodes.Status200OK, json[0]!.DeepClone()).WithCors() : NotFound();
    }

    public async Task<WireResult> DismissAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (me, _, failure) = await auth.AuthenticateAsync(request, "write:notifications", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        return await notifications.DismissAsync(me!.Id, id, cancellationToken) ? WireResult.Json(StatusCodes.Status200OK, new JsonObject()).WithCors() : NotFound();
    }

    public async Task<WireResult> ClearAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (me, _, failure) = await auth.AuthenticateAsync(request, "write:notifications", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        await notifications.ClearAsync(me!.Id, cancellationToken);
        return WireResult.Json(StatusCodes.Status200OK, new JsonObject()).WithCors();
    }

    /// <summary>
    /// <c>GET /api/v1/notifications/unread_count</c>: notifications newer than <c>since_id</c>, else newer than the
    /// account's notifications marker (as Mastodon counts them), capped at <c>limit</c> (default 100, max 1000).
    /// Storage: auth + 1 read (markers, without <c>since_id</c>) + 1 range query.
    /// </summary>
    public async Task<WireResult> UnreadCountAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (me, _, failure) = await auth.AuthenticateAsync(request, "read:notifications", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var limit = Math.Clamp(int.TryParse(request.Query["limit"], out var l) ? l : 100, 1, 1000);
        var since = request.Query["since_id"].ToString() is { Length: > 0 } s
            ? s
            : (await markers.GetAsync(me!.Id, cancellationToken)).FirstOrDefault(m => m.Timeline == "notifications")?.LastReadId;
        var count = await notifications.CountNewerAsync(me!.Id, since, limit, cancellationToken);
        return WireResult.Json(StatusCodes.Status200OK, new JsonObject { ["count"] = count }).WithCors();
    }

    private async Task<JsonArray> RenderAsync(IReadOnlyList<Notification> items, LocalAccount viewer, CancellationToken cancellationToken)
    {
        var actors = (await Task.WhenAll(items.Select(n => n.FromActorId).Distinct(StringComparer.Ordinal).Select(a => directory.GetByActorIdAsync(a, cancellationToken))))
            .OfType<AccountRef>().ToDictionary(a => a.ActorId, StringComparer.Ordinal);
        var statusList = await statuses.GetManyAsync(items.Select(n => n.StatusId).OfType<string>().Distinct(StringComparer.Ordinal), cancellationToken);
        var rendered = await renderer.RenderAsync(statusList, viewer, cancellationToken, Filters.FilterContexts.Notifications);
        var byId = rendered.OfType<JsonObject>().ToDictionary(j => j["id"]!.GetValue<string>(), StringComparer.Ordinal);

        var result = new JsonArray();
        foreach (var n in items)
        {
            // A notification whose account or status is gone is not shown (Mastodon deletes those with their cause).
            if (!actors.TryGetValue(n.FromActorId, out var actor) || n.StatusId is not null && !byId.ContainsKey(n.StatusId))
            {
                continue;
            }

            result.Add(new JsonObject
            {
                ["id"] = n.Id,
                ["type"] = TypeName(n.Type),
                ["group_key"] = NotificationGroupKey.Of(n),
                ["created_at"] = MastodonMapper.Time(n.CreatedAt),
                ["account"] = mapper.ToAccount(actor),
                ["status"] = n.StatusId is null ? null : byId[n.StatusId].DeepClone(),
            });
        }

        return result;
    }

    private static WireResult NotFound() => WireResult.Error(StatusCodes.Status404NotFound, "Record not found").WithCors();
}
