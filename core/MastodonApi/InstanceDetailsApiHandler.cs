using Microsoft.AspNetCore.Http;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Mapping;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// The smaller instance documents (docs: methods/instance): <c>peers</c>, <c>activity</c>, <c>rules</c>,
/// <c>extended_description</c>, <c>privacy_policy</c>, <c>languages</c>, <c>translation_languages</c>. All public,
/// rate limited by client address, cached by clients 5 minutes. Settings-backed answers report
/// <see cref="SettingsReadAt"/> as <c>updated_at</c>: settings are read at start-up and changing an app setting
/// restarts the app, so that is when they last could change. Storage: peers and activity as
/// <see cref="InstanceStatistics"/> (cached 10 minutes per process); the rest none.
/// </summary>
public sealed class InstanceDetailsApiHandler(ApiEndpoint api, InstanceStatistics statistics, InstanceMapper mapper, TimeProvider time)
{
    private readonly DateTimeOffset _settingsReadAt = time.GetUtcNow();

    public DateTimeOffset SettingsReadAt => _settingsReadAt;

    public Task<WireResult> PeersAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Anonymous, async _ => Cached(Ok(await statistics.PeersAsync(cancellationToken), Wire.IReadOnlyListString)), cancellationToken);

    public Task<WireResult> ActivityAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Anonymous, async _ =>
            Cached(Ok([.. (await statistics.ActivityAsync(cancellationToken)).Select(InstanceMapper.ToActivity)], Wire.IReadOnlyListActivity)), cancellationToken);

    public WireResult Rules(HttpRequest request) => api.Run(request, ApiAccess.Anonymous, _ => Cached(Ok(mapper.Rules(), Wire.IReadOnlyListRule)));

    public WireResult ExtendedDescription(HttpRequest request) =>
        api.Run(request, ApiAccess.Anonymous, _ => Cached(Ok(mapper.ToExtendedDescription(_settingsReadAt), Wire.ExtendedDescription)));

    /// <summary>The configured policy as a link (the policy itself lives on the operator's site); 404 without one.</summary>
    public WireResult PrivacyPolicy(HttpRequest request) =>
        api.Run(request, ApiAccess.Anonymous, _ => mapper.ToPrivacyPolicy(_settingsReadAt) is { } policy ? Cached(Ok(policy, Wire.PrivacyPolicy)) : NotFound());

    /// <summary>The configured languages first (in their order), then every other known code.</summary>
    public WireResult Languages(HttpRequest request) => api.Run(request, ApiAccess.Anonymous, _ => Cached(Ok(mapper.KnownLanguages(), Wire.IReadOnlyListLanguage)));

    /// <summary>This server translates nothing: an empty map of source to target languages.</summary>
    public WireResult TranslationLanguages(HttpRequest request) =>
        api.Run(request, ApiAccess.Anonymous, _ => Cached(Ok(new Dictionary<string, IReadOnlyList<string>>(), Wire.IReadOnlyDictionaryStringIReadOnlyListString)));

    private static WireResult Cached(WireResult result) => result.WithHeader("Cache-Control", "max-age=300, public");
}
