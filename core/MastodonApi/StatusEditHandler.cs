using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Http;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// Status edits (docs: methods/statuses#edit, #history, #source): <c>PUT /api/v1/statuses/:id</c> by the author
/// (<c>write:statuses</c>), <c>/history</c> (StatusEdit entities, oldest first, the current version last) for anyone who
/// may see the status, <c>/source</c> for the author (<c>read:statuses</c>). 404 for unknown, invisible or foreign statuses.
/// </summary>
public sealed class StatusEditHandler(ApiAuth auth, StatusEditService service, StatusStore statuses, StatusEditStore edits, StatusRenderer renderer, MastodonMapper mapper)
{
    public async Task<WireResult> UpdateAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (account, _, failure) = await auth.AuthenticateAsync(request, "write:statuses", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var (p, error) = await ApiParameters.ReadAsync(request, cancellationToken);
        if (p is null)
        {
            return Cors(WireResult.Error(StatusCodes.Status400BadRequest, error!));
        }

        if (p.Has("poll[options]"))
        {
            return Cors(WireResult.Error(StatusCodes.Status422UnprocessableEntity, "Validation failed: polls are not supported on this server"));
        }

        var result = await service.EditAsync(account!, id, new StatusEditRequest(
            p.Get("status"),
            p.Get("spoiler_text"),
            p.GetBool("sensitive"),
            p.Get("language"),
            p.Has("media_ids") ? p.GetAll("media_ids") : null), cancellationToken);
        if (result.Status is null)
        {
            return Cors(WireResult.Error(result.ErrorStatus, result.Error!));
        }

        var json = await renderer.RenderAsync(result.Status, account, cancellationToken) ?? mapper.ToStatus(result.Status, account!);
        return Cors(WireResult.Json(StatusCodes.Status200OK, json));
    }

    public async Task<WireResult> HistoryAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (viewer, failure) = await auth.AuthenticateOptionalAsync(request, "read:statuses", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var status = await statuses.GetAsync(id, cancellationToken);
        var current = status is null || !await renderer.CanSeeAsync(status, viewer, cancellationToken) ? null : await renderer.RenderAsync(status, viewer, cancellationToken);
        if (current is null)
        {
            return Cors(WireResult.Error(StatusCodes.Status404NotFound, "Record not found"));
        }

        var versions = (await edits.ListAsync(status!.Id, cancellationToken)).Append(StatusVersion.Of(status));
        var history = new JsonArray(versions.Select(v => (JsonNode)new JsonObject
        {
            ["content"] = v.ContentHtml,
            ["spoiler_text"] = v.SpoilerText,
            ["sensitive"] = v.Sensitive,
            ["created_at"] = MastodonMapper.Time(v.CreatedAt),
            ["account"] = current["account"]!.DeepClone(),
            ["poll"] = null,
            ["media_attachments"] = new JsonArray(v.Media.Select(m => (JsonNode)mapper.ToMediaAttachment(m)).ToArray()),
            ["emojis"] = new JsonArray(),
        }).ToArray());
        return Cors(WireResult.Json(StatusCodes.Status200OK, history));
    }

    public async Task<WireResult> SourceAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (account, _, failure) = await auth.AuthenticateAsync(request, "read:statuses", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var status = await statuses.GetAsync(id, cancellationToken);
        return status is null || status.DeletedAt is not null || status.AccountId != account!.Id
            ? Cors(WireResult.Error(StatusCodes.Status404NotFound, "Record not found"))
            : Cors(WireResult.Json(StatusCodes.Status200OK, new JsonObject { ["id"] = status.Id, ["text"] = status.Text, ["spoiler_text"] = status.SpoilerText }));
    }

    private static WireResult Cors(WireResult result) => result.WithCors();
}
