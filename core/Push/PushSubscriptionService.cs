using System.Text;
using ServerlessFedi.Configuration;
using ServerlessFedi.Errors;
using ServerlessFedi.OAuth;
using ServerlessFedi.Remote;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Push;

/// <summary>
/// The one push subscription of an access token (docs: methods/push): made anew on create (replacing the token's previous
/// one, as Mastodon), its alerts and policy changed on update, removed on delete or when the token is revoked. Hostile
/// input changes nothing: the endpoint must be an https URL whose literal address, if any, the guard of
/// <see cref="RemoteClient"/> would allow (the guard judges every push again on the address it connects to), the keys
/// must be a P-256 point and 16 bytes. Storage: as <see cref="PushSubscriptionStore"/>.
/// </summary>
public sealed class PushSubscriptionService(PushSubscriptionStore store, PushTrigger trigger, TotpSecretProtector protector, FediOptions options, TimeProvider time)
{
    /// <summary>Longer endpoints are refused (push services' URLs are a few hundred characters).</summary>
    public const int MaxEndpointLength = 2048;

    public async Task<(PushSubscription? Subscription, ServiceError? Error, string? Message)> SubscribeAsync(string accountId, string token, PushSubscriptionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (CheckEndpoint(request.Endpoint) is { } endpointError)
        {
            return (null, ServiceError.Invalid, endpointError);
        }

        var p256dh = VapidKeys.FromBase64(request.P256dh);
        if (p256dh is null || !WebPushEncryption.IsP256Point(p256dh))
        {
            return (null, ServiceError.Invalid, "subscription[keys][p256dh] must be an uncompressed P-256 public key in base64url");
        }

        if (VapidKeys.FromBase64(request.Auth) is not { Length: 16 } auth)
        {
            return (null, ServiceError.Invalid, "subscription[keys][auth] must be 16 bytes in base64url");
        }

        if (ParsePolicy(request.Policy) is not { } policy)
        {
            return (null, ServiceError.Invalid, "data[policy] must be one of all, followed, follower, none");
        }

        var hash = OAuthSecrets.Hash(token);
        var subscription = new PushSubscription(
            SnowflakeIds.AtTime(time.GetUtcNow()),
            accountId,
            hash,
            request.Endpoint!,
            p256dh,
            auth,
            Alerts(request.Alerts, new HashSet<string>(StringComparer.Ordinal)),
            policy,
            request.Standard,
            protector.IsConfigured ? protector.Protect(PushContent.SealedTokenPurpose(accountId, hash), Encoding.UTF8.GetBytes(token)) : null,
            time.GetUtcNow());
        await store.PutAsync(subscription, cancellationToken);
        trigger.Subscribed();
        return (subscription, null, null);
    }

    public Task<PushSubscription?> GetAsync(string accountId, string token, CancellationToken cancellationToken) =>
        store.GetAsync(accountId, OAuthSecrets.Hash(token), cancellationToken);

    /// <summary>Changes alerts and policy (docs: methods/push#update); the endpoint and keys stay. Null subscription: none to change.</summary>
    public async Task<(PushSubscription? Subscription, ServiceError? Error, string? Message)> UpdateAsync(string accountId, string token, PushSubscriptionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await GetAsync(accountId, token, cancellationToken) is not { } current)
        {
            return (null, ServiceError.NotFound, null);
        }

        if ((request.Policy is null ? current.Policy : ParsePolicy(request.Policy)) is not { } policy)
        {
            return (null, ServiceError.Invalid, "data[policy] must be one of all, followed, follower, none");
        }

        var updated = current with { Alerts = Alerts(request.Alerts, current.Alerts), Policy = policy };
        await store.PutAsync(updated, cancellationToken);
        return (updated, null, null);
    }

    public Task<bool> DeleteAsync(string accountId, string token, CancellationToken cancellationToken) =>
        store.DeleteAsync(accountId, OAuthSecrets.Hash(token), cancellationToken);

    /// <summary>Why <paramref name="endpoint"/> cannot be pushed to, or null when it may be.</summary>
    public string? CheckEndpoint(string? endpoint)
    {
        if (string.IsNullOrWhiteSpace(endpoint) || endpoint.Length > MaxEndpointLength
            || !Uri.TryCreate(endpoint, UriKind.Absolute, out var url) || string.IsNullOrEmpty(url.Host))
        {
            return "subscription[endpoint] must be an https URL";
        }

        if (RemoteAddressPolicy.Refusal(url, options.AllowPrivateNetworks) is { } refused)
        {
            return refused.Reason == RemoteFetchFailure.BlockedAddress
                ? "subscription[endpoint] must not point at a private, loopback or link-local address"
                : "subscription[endpoint] must be an https URL without credentials";
        }

        // localhost names resolve to loopback; the guard would refuse them on connecting, so refuse them now.
        return !options.AllowPrivateNetworks && (url.IsLoopback || url.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
            ? "subscription[endpoint] must not point at a private, loopback or link-local address"
            : null;
    }

    private static PushPolicy? ParsePolicy(string? text) => (text ?? "all").Trim().ToLowerInvariant() switch
    {
        "all" or "" => PushPolicy.All,
        "followed" => PushPolicy.Followed,
        "follower" => PushPolicy.Follower,
        "none" => PushPolicy.None,
        _ => null,
    };

    /// <summary>The alerts after applying what was sent over <paramref name="current"/>; names Mastodon does not know are ignored.</summary>
    private static HashSet<string> Alerts(IReadOnlyDictionary<string, bool> sent, IReadOnlySet<string> current)
    {
        var result = new HashSet<string>(current, StringComparer.Ordinal);
        foreach (var name in PushSubscription.AlertNames)
        {
            if (sent.TryGetValue(name, out var on))
            {
                _ = on ? result.Add(name) : result.Remove(name);
            }
        }

        return result;
    }
}
