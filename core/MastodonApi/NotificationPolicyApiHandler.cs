using Microsoft.AspNetCore.Http;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Entities;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// Notification filtering (docs: methods/notifications#get-policy, #update-the-filtering-policy-for-notifications,
/// #get-requests): this server filters no notification, so the policy is <c>accept</c> for every kind of sender, nothing
/// is ever waiting, and there are no requests; an app asking to filter or drop is refused (422) rather than told it
/// worked. Storage: auth only.
/// </summary>
public sealed class NotificationPolicyApiHandler(ApiEndpoint api)
{
    private const string Accept = "accept";

    private static readonly string[] PolicyParameters = ["for_not_following", "for_not_followers", "for_new_accounts", "for_private_mentions", "for_limited_accounts"];

    private static readonly NotificationPolicy AcceptAll = new(Accept, Accept, Accept, Accept, Accept, new NotificationPolicySummary(0, 0));

    /// <summary><c>GET /api/v2/notifications/policy</c>.</summary>
    public Task<WireResult> GetPolicyAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:notifications"), _ => Ok(AcceptAll, Wire.NotificationPolicy), cancellationToken);

    /// <summary><c>PATCH /api/v2/notifications/policy</c>: <c>accept</c> changes nothing; <c>filter</c> and <c>drop</c> are not offered here.</summary>
    public Task<WireResult> UpdatePolicyAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:notifications").WithParameters(), r =>
        {
            foreach (var name in PolicyParameters)
            {
                if (r.Parameters.Get(name) is { } value && value != Accept)
                {
                    return value is "filter" or "drop"
                        ? Invalid($"{name} cannot be '{value}': this server does not filter notifications")
                        : Invalid($"{name} must be one of accept, filter, drop");
                }
            }

            return Ok(AcceptAll, Wire.NotificationPolicy);
        }, cancellationToken);

    /// <summary><c>GET /api/v1/notifications/requests</c>: none, ever.</summary>
    public Task<WireResult> ListRequestsAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:notifications"), _ => Ok([], Wire.IReadOnlyListString), cancellationToken);

    /// <summary><c>GET /api/v1/notifications/requests/:id</c> and <c>POST .../:id/accept|dismiss</c>: no such request.</summary>
    public Task<WireResult> RequestAsync(HttpRequest request, bool writes, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token(writes ? "write:notifications" : "read:notifications"), _ => NotFound(), cancellationToken);

    /// <summary><c>POST /api/v1/notifications/requests/accept|dismiss</c> with <c>id[]</c>: nothing to do.</summary>
    public Task<WireResult> AnswerRequestsAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:notifications").WithParameters(), _ => Done(), cancellationToken);

    /// <summary><c>GET /api/v1/notifications/requests/merged</c>: with no requests, nothing is left to merge.</summary>
    public Task<WireResult> MergedAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:notifications"), _ => Ok(new NotificationRequestsMerged(true), Wire.NotificationRequestsMerged), cancellationToken);
}
