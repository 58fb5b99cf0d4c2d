using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Entities;
using ServerlessFedi.MastodonApi.Mapping;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>/api/v1/instance</c> and <c>/api/v2/instance</c> (docs: methods/instance, entities/Instance, entities/V1_Instance):
/// what apps read first after a user types the server's name (built by <see cref="InstanceMapper"/>, with the limits of
/// <see cref="ServerlessFedi.Media.MediaLimits"/>: images, video and audio). Not rate limited.
/// Storage: 1 range query over the account partition (usage figures), 1 point read for the contact account when one is
/// set; v1 also scans the remote actors for <c>domain_count</c> at most every 10 minutes per process.
/// </summary>
public sealed class InstanceApiHandler(ApiEndpoint api, AccountStore accounts, AccountListingStore listings, RemoteActorStore remoteActors, FediOptions options, InstanceMapper mapper, AccountMapper accountMapper, TimeProvider time, ServerlessFedi.Push.VapidKeyStore vapid)
{
    /// <summary>The known-domains count scans a table, so it is refreshed at most this often per process.</summary>
    private static readonly TimeSpan DomainCountLifetime = TimeSpan.FromMinutes(10);

    private (int Count, DateTimeOffset At)? _domainCount;

    public Task<WireResult> V2Async(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Open, async _ =>
        {
            var totals = await listings.GetTotalsAsync(cancellationToken);
            return Cached(Ok(mapper.ToInstance(totals, await ContactAccountAsync(cancellationToken), (await vapid.GetOrCreateAsync(cancellationToken)).PublicKeyText), Wire.Instance));
        }, cancellationToken);

    public Task<WireResult> V1Async(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Open, async _ =>
        {
            var totals = await listings.GetTotalsAsync(cancellationToken);
            return Cached(Ok(mapper.ToV1Instance(totals, await DomainCountAsync(cancellationToken), await ContactAccountAsync(cancellationToken)), Wire.V1Instance));
        }, cancellationToken);

    /// <summary>The Account named by <c>Fedi__ContactAccount</c>, or null when none is set or it does not exist (1 point read).</summary>
    private async Task<Account?> ContactAccountAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.ContactAccount))
        {
            return null;
        }

        var account = await accounts.GetByUsernameAsync(options.ContactAccount, cancellationToken);
        return account is null ? null : accountMapper.ToAccount(account);
    }

    private async Task<int> DomainCountAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_domainCount is { } cached && now - cached.At < DomainCountLifetime)
        {
            return cached.Count;
        }

        var count = await remoteActors.CountDomainsAsync(cancellationToken);
        _domainCount = (count, now);
        return count;
    }

    private static WireResult Cached(WireResult result) => result.WithHeader("Cache-Control", "max-age=300, public");
}
