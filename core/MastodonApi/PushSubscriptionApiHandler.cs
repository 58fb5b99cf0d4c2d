using Microsoft.AspNetCore.Http;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Push;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>/api/v1/push/subscription</c> (docs: methods/push): the Web Push subscription of the calling access token (scope
/// <c>push</c>), created (replacing the token's previous one), shown, its alerts and policy updated, and deleted.
/// Storage: as <see cref="PushSubscriptionService"/>, + the VAPID key's first read per process.
/// </summary>
public sealed class PushSubscriptionApiHandler(ApiEndpoint api, PushSubscriptionService service, VapidKeyStore keys)
{
    private const string Scope = "push";

    public Task<WireResult> CreateAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token(Scope).WithParameters(), async r =>
        {
            var (made, error, message) = await service.SubscribeAsync(r.Account.Id, BearerToken(r), Read(r.Parameters), cancellationToken);
            return made is null ? Refused(error!.Value, message) : await ShowAsync(made, cancellationToken);
        }, cancellationToken);

    public Task<WireResult> GetAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token(Scope), async r =>
            await service.GetAsync(r.Account.Id, BearerToken(r), cancellationToken) is { } found ? await ShowAsync(found, cancellationToken) : NotFound(),
            cancellationToken);

    public Task<WireResult> UpdateAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token(Scope).WithParameters(), async r =>
        {
            var (updated, error, message) = await service.UpdateAsync(r.Account.Id, BearerToken(r), Read(r.Parameters), cancellationToken);
            return updated is null ? Refused(error!.Value, message) : await ShowAsync(updated, cancellationToken);
        }, cancellationToken);

    /// <summary>Mastodon answers <c>{}</c> whether or not there was a subscription.</summary>
    public Task<WireResult> DeleteAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token(Scope), async r =>
        {
            await service.DeleteAsync(r.Account.Id, BearerToken(r), cancellationToken);
            return Done();
        }, cancellationToken);

    private async Task<WireResult> ShowAsync(PushSubscription subscription, CancellationToken cancellationToken) =>
        Ok(PushSubscriptionMapper.ToWebPushSubscription(subscription, (await keys.GetOrCreateAsync(cancellationToken)).PublicKeyText), Wire.WebPushSubscription);

    private static WireResult Refused(Errors.ServiceError error, string? message) =>
        error == Errors.ServiceError.Invalid ? Invalid(message!) : error == Errors.ServiceError.NotFound ? NotFound() : Error(error, message!);

    /// <summary>The token the request was authenticated with (the endpoint requires one, so the header is there).</summary>
    private static string BearerToken(ApiRequest r) => r.Http.Headers.Authorization.ToString()[7..].Trim();

    private static PushSubscriptionRequest Read(ApiParameters p)
    {
        var alerts = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var name in PushSubscription.AlertNames)
        {
            if (p.GetBool($"data[alerts][{name}]") is { } on)
            {
                alerts[name] = on;
            }
        }

        // masto.js sends the policy at the top level; Mastodon documents data[policy].
        return new PushSubscriptionRequest(
            p.Get("subscription[endpoint]"),
            p.Get("subscription[keys][p256dh]"),
            p.Get("subscription[keys][auth]"),
            p.GetBool("subscription[standard]") ?? false,
            alerts,
            p.Get("data[policy]") ?? p.Get("policy"));
    }
}
