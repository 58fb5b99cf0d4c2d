using System.Globalization;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Configuration;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Statuses;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>/api/v1/scheduled_statuses</c> (docs: methods/scheduled_statuses): the caller's own scheduled statuses, listed
/// newest first with <c>Link</c> pages, shown, moved (<c>scheduled_at</c>) and cancelled; another account's are 404.
/// </summary>
public sealed class ScheduledStatusApiHandler(ApiEndpoint api, ScheduledStatusService service, ScheduledStatusMapper mapper, InstanceUrls urls)
{
    /// <summary>A <c>scheduled_at</c> value (docs: api/datetime-format): ISO 8601, UTC unless it names an offset.</summary>
    public static bool TryParseTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    /// <summary>The refusal of a <c>scheduled_at</c> that is no date.</summary>
    public static WireResult UnreadableTime() => Invalid("Scheduled at is not a date and time");

    public Task<WireResult> ListAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:statuses"), async r =>
        {
            var page = r.Page();
            var items = await service.ListAsync(r.Account.Id, page.MaxId, page.SinceId, page.MinId, page.Limit, cancellationToken);
            var shown = items.Select(mapper.ToScheduledStatus).ToList();
            return Ok<IReadOnlyList<Entities.ScheduledStatus>>(shown, Wire.IReadOnlyListScheduledStatus)
                .WithPageLinks(PageLinks.Build(urls, request, page, [.. items.Select(s => s.Id)]));
        }, cancellationToken);

    public Task<WireResult> GetAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:statuses"), async r =>
            await service.GetAsync(r.Account.Id, id, cancellationToken) is { } found ? Ok(mapper.ToScheduledStatus(found), Wire.ScheduledStatus) : NotFound(), cancellationToken);

    public Task<WireResult> UpdateAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:statuses").WithParameters(), async r =>
        {
            var text = r.Parameters.Get("scheduled_at");
            if (string.IsNullOrWhiteSpace(text))
            {
                // Mastodon updates with nothing to change and answers the scheduled status as it is.
                return await service.GetAsync(r.Account.Id, id, cancellationToken) is { } unchanged ? Ok(mapper.ToScheduledStatus(unchanged), Wire.ScheduledStatus) : NotFound();
            }

            if (!TryParseTime(text, out var scheduledAt))
            {
                return UnreadableTime();
            }

            var result = await service.RescheduleAsync(r.Account.Id, id, scheduledAt, cancellationToken);
            return result.Scheduled is { } moved ? Ok(mapper.ToScheduledStatus(moved), Wire.ScheduledStatus) : Error(result.Error!.Value, result.Message!);
        }, cancellationToken);

    public Task<WireResult> DeleteAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:statuses"), async r =>
            await service.CancelAsync(r.Account.Id, id, cancellationToken) ? Done() : NotFound(), cancellationToken);
}
