using Microsoft.AspNetCore.Http;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Polls;
using ServerlessFedi.Statuses;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>/api/v1/statuses</c> (docs: methods/statuses) and <c>verify_credentials</c>. Errors in Mastodon's shape:
/// 401/403 from auth, 422 for validation, 404 for unknown or invisible statuses. With <c>scheduled_at</c> more than five
/// minutes ahead a post is scheduled and the answer is a ScheduledStatus; a time already past posts at once, a time
/// less than five minutes ahead is refused (422), as Mastodon's PostStatusService does. A poll (<c>poll[options][]</c>,
/// <c>poll[expires_in]</c>, <c>poll[multiple]</c>, <c>poll[hide_totals]</c>) is checked against <see cref="PollLimits"/>.
/// </summary>
public sealed class StatusApiHandler(
    ApiEndpoint api,
    StatusService service,
    StatusStore statuses,
    StatusMapper mapper,
    AccountMapper accounts,
    StatusIdempotency idempotency,
    StatusRenderer renderer,
    ScheduledStatusService scheduling,
    ScheduledStatusMapper scheduledMapper,
    TimeProvider time)
{
    public Task<WireResult> CreateAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:statuses").WithParameters(), async r =>
        {
            var p = r.Parameters;
            var (poll, pollError) = PollLimits.Read(p.GetAll("poll[options]"), p.Get("poll[expires_in]"), p.GetBool("poll[multiple]"), p.GetBool("poll[hide_totals]"));
            if (pollError is not null)
            {
                return Error(Errors.ServiceError.Invalid, pollError);
            }

            // Mastodon's PostStatusService refuses media beside a poll with its "too many" message.
            if (poll is not null && p.GetAll("media_ids").Count > 0)
            {
                return Error(Errors.ServiceError.Invalid, "Cannot attach more than 4 files");
            }

            // Left out, visibility, sensitive and language follow the account's posting defaults (source[privacy|sensitive|language]).
            var account = r.Account;
            var visibilityText = p.Get("visibility") ?? account.DefaultPrivacy;
            if (!Enum.TryParse<Visibility>(visibilityText, ignoreCase: true, out var visibility) || !Enum.IsDefined(visibility) || char.IsDigit(visibilityText[0]))
            {
                return Invalid($"Visibility '{visibilityText}' is not one of public, unlisted, private, direct");
            }

            if (!Quotes.QuotePolicies.TryParse(p.Get("quote_approval_policy"), out var quotePolicy))
            {
                return Invalid($"Quote approval policy '{p.Get("quote_approval_policy")}' is not one of public, followers, nobody");
            }

            DateTimeOffset? scheduledAt = null;
            if (p.Get("scheduled_at") is { Length: > 0 } scheduledText)
            {
                if (!ScheduledStatusApiHandler.TryParseTime(scheduledText, out var parsed))
                {
                    return ScheduledStatusApiHandler.UnreadableTime();
                }

                scheduledAt = parsed > time.GetUtcNow() ? parsed : null;
            }

            var begun = await idempotency.BeginAsync(account.Id, request.Headers["Idempotency-Key"].ToString().Trim(), cancellationToken);
            if (begun.EarlierScheduledId is { } earlierScheduled)
            {
                return await scheduling.GetAsync(account.Id, earlierScheduled, cancellationToken) is { } found ? Ok(scheduledMapper.ToScheduledStatus(found), Wire.ScheduledStatus) : NotFound();
            }

            if (!begun.Posts)
            {
                return begun.Earlier is { } earlier ? Ok(mapper.ToStatus(earlier, account), Wire.Status) : Error(begun.Error!.Value, begun.Message!);
            }

            var post = new NewStatus(
                p.Get("status"),
                visibility,
                p.Get("spoiler_text"),
                p.GetBool("sensitive") ?? account.DefaultSensitive,
                p.Get("language") ?? account.DefaultLanguage,
                p.Get("in_reply_to_id"),
                r.Token!.Description,
                p.GetAll("media_ids"))
            {
                Poll = poll,
                QuotePolicy = quotePolicy,
                QuotedStatusId = p.Get("quoted_status_id"),
            };
            if (scheduledAt is { } at)
            {
                var scheduled = await scheduling.ScheduleAsync(account, post, at, cancellationToken);
                await idempotency.EndAsync(begun.Claim, scheduled.Scheduled?.Id, cancellationToken, scheduled: true);
                return scheduled.Scheduled is { } s ? Ok(scheduledMapper.ToScheduledStatus(s), Wire.ScheduledStatus) : Error(scheduled.Error!.Value, scheduled.Message!);
            }

            var result = await service.CreateAsync(account, post with { Audit = r.Audit }, cancellationToken);
            r.AuditQueued = result.AuditQueued;
            await idempotency.EndAsync(begun.Claim, result.Status?.Id, cancellationToken);
            return result.Status is { } created ? Ok(mapper.ToStatus(created, account), Wire.Status) : Error(result.Error!.Value, result.Message!);
        }, cancellationToken);

    public Task<WireResult> GetAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.OptionalToken("read:statuses"), async r =>
        {
            var status = await statuses.GetAsync(id, cancellationToken);
            var shown = status is null || !await renderer.CanSeeAsync(status, r.Viewer, cancellationToken) ? null : await renderer.ShowAsync(status, r.Viewer, cancellationToken);
            return shown is null ? NotFound() : Ok(shown, Wire.Status);
        }, cancellationToken);

    public Task<WireResult> DeleteAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:statuses").WithParameters(), async r =>
        {
            var result = await service.DeleteAsync(r.Account, id, r.Parameters.GetBool("delete_media") ?? false, cancellationToken);
            return result.Status is { } deleted ? Ok(mapper.ToStatus(deleted, r.Account, includeSourceText: true), Wire.Status) : Error(result.Error!.Value, result.Message!);
        }, cancellationToken);

    public Task<WireResult> VerifyCredentialsAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("profile"), r => Ok(accounts.ToCredentialAccount(r.Account), Wire.Account), cancellationToken);
}
