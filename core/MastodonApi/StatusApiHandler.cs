using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Http;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>/api/v1/statuses</c> (docs: methods/statuses) and <c>verify_credentials</c>. Errors in Mastodon's shape:
/// 401/403 from auth, 422 for validation, 404 for unknown or invisible statuses.
/// </summary>
public sealed class StatusApiHandler(ApiAuth auth, StatusService service, StatusStore statuses, MastodonMapper mapper, StatusIdempotency idempotency, StatusRenderer renderer)
{
    public async Task<WireResult> CreateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (account, token, failure) = await auth.AuthenticateAsync(request, "write:statuses", cancellationToken);
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

        // Left out, visibility, sensitive and language follow the account's posting defaults (source[privacy|sensitive|language]).
        var visibilityText = p.Get("visibility") ?? account!.DefaultPrivacy;
        if (!Enum.TryParse<Visibility>(visibilityText, ignoreCase: true, out var visibility) || !Enum.IsDefined(visibility) || char.IsDigit(visibilityText[0]))
        {
            return Cors(WireResult.Error(StatusCodes.Status422UnprocessableEntity, $"Validation failed: Visibility '{visibilityText}' is not one of public, unlisted, private, direct"));
        }

        var (claim, duplicate) = await idempotency.BeginAsync(request, account!, cancellationToken);
        if (duplicate is not null)
        {
            return Cors(duplicate);
        }

        var result = await service.CreateAsync(account!, new NewStatus(
            p.Get("status"),
            visibility,
            p.Get("spoiler_text"),
            p.GetBool("sensitive") ?? account!.DefaultSensitive,
            p.Get("language") ?? account!.DefaultLanguage,
            p.Get("in_reply_to_id"),
            token!.Description,
            p.GetAll("media_ids")), cancellationToken);
        await idempotency.EndAsync(claim, result.Status?.Id, cancellationToken);
        return result.Status is null
            ? Cors(WireResult.Error(result.ErrorStatus, result.Error!))
            : Cors(WireResult.Json(StatusCodes.Status200OK, mapper.ToStatus(result.Status, account!)));
    }

    public async Task<WireResult> GetAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (viewer, failure) = await auth.AuthenticateOptionalAsync(request, "read:statuses", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var status = await statuses.GetAsync(id, cancellationToken);
        var json = status is null || !await renderer.CanSeeAsync(status, viewer, cancellationToken) ? null : await renderer.RenderAsync(status, viewer, cancellationToken);
        return json is null
            ? Cors(WireResult.Error(StatusCodes.Status404NotFound, "Record not found"))
            : Cors(WireResult.Json(StatusCodes.Status200OK, json));
    }

    public async Task<WireResult> DeleteAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (account, _, failure) = await auth.AuthenticateAsync(request, "write:statuses", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var result = await service.DeleteAsync(account!, id, cancellationToken);
        return result.Status is null
            ? Cors(WireResult.Error(result.ErrorStatus, result.Error!))
            : Cors(WireResult.Json(StatusCodes.Status200OK, mapper.ToStatus(result.Status, account!, includeSourceText: true)));
    }

    public async Task<WireResult> VerifyCredentialsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (account, _, failure) = await auth.AuthenticateAsync(request, "read:accounts", cancellationToken);
        return failure ?? Cors(WireResult.Json(StatusCodes.Status200OK, mapper.ToCredentialAccount(account!)));
    }

    private static WireResult Cors(WireResult result) => result.WithCors();
}
