using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessFedi.Accounts;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <see cref="StatusRenderer"/>'s statuses as JSON nodes, for <see cref="StatusActionsHandler"/>, the one handler still
/// composing JSON by hand; it goes when that handler moves onto <see cref="ApiEndpoint"/> (issue 12).
/// </summary>
public static class StatusRendererJson
{
    public static async Task<JsonObject?> RenderAsync(this StatusRenderer renderer, Status status, LocalAccount? viewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        return await renderer.ShowAsync(status, viewer, cancellationToken) is { } entity
            ? JsonSerializer.SerializeToNode(entity, Entities.MastodonJsonContext.Wire.Status)!.AsObject()
            : null;
    }

    public static async Task<JsonArray> RenderAsync(this StatusRenderer renderer, IReadOnlyList<Status> statuses, LocalAccount? viewer, CancellationToken cancellationToken, string? filterContext = null)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        return JsonSerializer.SerializeToNode(await renderer.ListAsync(statuses, viewer, cancellationToken, filterContext), Entities.MastodonJsonContext.Wire.IReadOnlyListStatus)!.AsArray();
    }
}
