using Microsoft.AspNetCore.Http;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Statuses;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// Status edits (docs: methods/statuses#edit, #history, #source): <c>PUT /api/v1/statuses/:id</c> by the author
/// (<c>write:statuses</c>; <c>media_attributes[]</c> with <c>id</c>, <c>description</c>, <c>focus</c> fixes attachments), <c>/history</c> (StatusEdit entities, oldest first, the current version last) for anyone who
/// may see the status, <c>/source</c> for the author (<c>read:statuses</c>). 404 for unknown, invisible or foreign statuses.
/// </summary>
public sealed class StatusEditHandler(ApiEndpoint api, StatusEditService service, StatusStore statuses, StatusEditStore edits, StatusRenderer renderer, StatusMapper mapper)
{
    public Task<WireResult> UpdateAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:statuses").WithParameters(), async r =>
        {
            var p = r.Parameters;
            if (p.Has("poll[options]"))
            {
                return Invalid("polls are not supported on this server");
            }

            var result = await service.EditAsync(r.Account, id, new StatusEditRequest(
                p.Get("status"),
                p.Get("spoiler_text"),
                p.GetBool("sensitive"),
                p.Get("language"),
                p.Has("media_ids") ? p.GetAll("media_ids") : null,
                [.. p.GetHashes("media_attributes", Media.MediaAttributes.Fields).Where(h => h.ContainsKey("id")).Select(h => new Media.MediaAttributes(h["id"], h.GetValueOrDefault("description"), h.GetValueOrDefault("focus")))]), cancellationToken);
            if (result.Status is not { } edited)
            {
                return Error(result.Error!.Value, result.Message!);
            }

            return Ok(await renderer.ShowAsync(edited, r.Account, cancellationToken) ?? mapper.ToStatus(edited, r.Account), Wire.Status);
        }, cancellationToken);

    public Task<WireResult> HistoryAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.OptionalToken("read:statuses"), async r =>
        {
            var status = await statuses.GetAsync(id, cancellationToken);
            var current = status is null || !await renderer.CanSeeAsync(status, r.Viewer, cancellationToken) ? null : await renderer.ShowAsync(status, r.Viewer, cancellationToken);
            if (current is null)
            {
                return NotFound();
            }

            var versions = (await edits.ListAsync(status!.Id, cancellationToken)).Append(StatusVersion.Of(status));
            return Ok([.. versions.Select(v => mapper.ToStatusEdit(v, current.Account))], Wire.IReadOnlyListStatusEdit);
        }, cancellationToken);

    public Task<WireResult> SourceAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:statuses"), async r =>
        {
            var status = await statuses.GetAsync(id, cancellationToken);
            return status is null || status.DeletedAt is not null || status.AccountId != r.Account.Id
                ? NotFound()
                : Ok(StatusMapper.ToSource(status), Wire.StatusSource);
        }, cancellationToken);
}
