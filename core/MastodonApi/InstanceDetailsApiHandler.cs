using Microsoft.AspNetCore.Http;
using ServerlessFedi.Configuration;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Moderation;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// The smaller instance documents (docs: methods/instance): <c>peers</c>, <c>activity</c>, <c>rules</c>,
/// <c>extended_description</c>, <c>privacy_policy</c>, <c>languages</c>, <c>translation_languages</c>. All public,
/// rate limited by client address, cached by clients 5 minutes. Settings-backed answers report
/// <see cref="SettingsReadAt"/> as <c>updated_at</c>: settings are read at start-up and changing an app setting
/// restarts the app, so that is when they last could change. Storage: peers and activity as
/// <see cref="InstanceStatistics"/> (cached 10 minutes per process); domain blocks as <see cref="ModerationPolicy"/>
/// (cached 30 s per process); the rest none.
/// </summary>
public sealed class InstanceDetailsApiHandler(ApiEndpoint api, InstanceStatistics statistics, InstanceMapper mapper, TimeProvider time, ModerationPolicy moderation, FediOptions options)
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

    /// <summary>
    /// The domain blocks users notice (silence, suspend, or rejected media; docs: methods/instance#domain_blocks), per
    /// <c>Fedi__ShowDomainBlocks</c>: <c>all</c>, <c>users</c> (a token must be sent) or <c>disabled</c>; where not shown, 404 as Mastodon answers.
    /// </summary>
    public Task<WireResult> DomainBlocksAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.OptionalToken("read"), async r =>
        {
            var shown = options.ShowDomainBlocks == "all" || options.ShowDomainBlocks == "users" && r.Viewer is not null;
            if (!shown)
            {
                return NotFound();
            }

            var blocks = (await moderation.CurrentAsync(cancellationToken)).DomainBlocks.Where(b => b.IsUserFacing).Select(InstanceMapper.ToDomainBlock).ToList();
            var answer = Ok<IReadOnlyList<Entities.DomainBlock>>(blocks, Wire.IReadOnlyListDomainBlock);
            return options.ShowDomainBlocks == "all" ? Cached(answer) : answer;
        }, cancellationToken);

    private static WireResult Cached(WireResult result) => result.WithHeader("Cache-Control", "max-age=300, public");
}
