using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Content;
using ServerlessFedi.Federation;
using ServerlessFedi.Http;
using ServerlessFedi.NodeInfo;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>/api/v1/instance</c> and <c>/api/v2/instance</c> (docs: methods/instance, entities/Instance, entities/V1_Instance):
/// what apps read first after a user types the server's name. Limits are the ones the server enforces: images (from
/// <see cref="ServerlessFedi.Media.MediaLimits"/>: images, video and audio), no polls, which advertise zero. Storage: 1 range query over the account partition (usage figures), 1 point read for the contact account when one is set; v1 also scans
/// the remote actors for <c>domain_count</c> at most every 10 minutes per process.
/// </summary>
public sealed class InstanceApiHandler(AccountStore accounts, RemoteActorStore remoteActors, InstanceUrls urls, FediOptions options, MastodonMapper mapper, TimeProvider time)
{
    /// <summary>The known-domains count scans a table, so it is refreshed at most this often per process.</summary>
    private static readonly TimeSpan DomainCountLifetime = TimeSpan.FromMinutes(10);

    private (int Count, DateTimeOffset At)? _domainCount;

    /// <summary>Apps parse the Mastodon version to decide which endpoints to call; the suffix names what actually answers.</summary>
    public static string Version => $"4.3.0 (compatible; ServerlessFedi {NodeInfoHandler.SoftwareVersion})";

    /// <summary>
    /// <c>api_versions.mastodon</c> (docs: entities/Instance#api-versions): every API change Mastodon numbered up to this
    /// is implemented. Version 2 (Mastodon 4.3.0) numbers the grouped notifications API only, which
    /// <see cref="GroupedNotificationApiHandler"/> answers; clients use it to switch to grouped notifications.
    /// </summary>
    public const int ApiVersion = 2;

    public async Task<WireResult> V2Async(CancellationToken cancellationToken)
    {
        var totals = await accounts.GetTotalsAsync(cancellationToken);
        var doc = new JsonObject
        {
            ["domain"] = urls.AccountDomain,
            ["title"] = options.InstanceTitle,
            ["version"] = Version,
            ["source_url"] = "",
            ["description"] = options.InstanceDescription,
            ["usage"] = new JsonObject { ["users"] = new JsonObject { ["active_month"] = totals.ActiveMonth } },
            ["thumbnail"] = new JsonObject { ["url"] = mapper.DefaultHeader },
            ["icon"] = new JsonArray(),
            ["languages"] = Languages(),
            ["configuration"] = Configuration(v2: true),
            ["registrations"] = new JsonObject { ["enabled"] = false, ["approval_required"] = false, ["message"] = null, ["url"] = null },
            ["api_versions"] = new JsonObject { ["mastodon"] = ApiVersion },
            ["contact"] = new JsonObject { ["email"] = options.ContactEmail ?? "", ["account"] = await ContactAccountAsync(cancellationToken) },
            ["rules"] = InstanceDetailsApiHandler.RulesJson(options),
        };
        return Respond(doc);
    }

    public async Task<WireResult> V1Async(CancellationToken cancellationToken)
    {
        var totals = await accounts.GetTotalsAsync(cancellationToken);
        var doc = new JsonObject
        {
            ["uri"] = urls.AccountDomain,
            ["title"] = options.InstanceTitle,
            ["short_description"] = options.InstanceDescription,
            ["description"] = options.InstanceDescription,
            ["email"] = options.ContactEmail ?? "",
            ["version"] = Version,
            ["urls"] = new JsonObject { ["streaming_api"] = StreamingUrl },
            ["stats"] = new JsonObject { ["user_count"] = totals.Users, ["status_count"] = totals.LocalPosts, ["domain_count"] = await DomainCountAsync(cancellationToken) },
            ["thumbnail"] = mapper.DefaultHeader,
            ["languages"] = Languages(),
            ["registrations"] = false,
            ["approval_required"] = false,
            ["invites_enabled"] = false,
            ["configuration"] = Configuration(v2: false),
            ["contact_account"] = await ContactAccountAsync(cancellationToken),
            ["rules"] = InstanceDetailsApiHandler.RulesJson(options),
        };
        return Respond(doc);
    }

    /// <summary>The Account named by <c>Fedi__ContactAccount</c>, or null when none is set or it does not exist (1 point read).</summary>
    private async Task<JsonObject?> ContactAccountAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.ContactAccount))
        {
            return null;
        }

        var account = await accounts.GetByUsernameAsync(options.ContactAccount, cancellationToken);
        return account is null ? null : mapper.ToAccount(account);
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

    private string StreamingUrl => urls.Base.Replace("https://", "wss://", StringComparison.Ordinal).Replace("http://", "ws://", StringComparison.Ordinal);

    private JsonObject Configuration(bool v2)
    {
        var configuration = new JsonObject
        {
            ["accounts"] = new JsonObject { ["max_featured_tags"] = FeaturedTagStore.MaxPerAccount, ["max_pinned_statuses"] = InteractionStore.MaxPins },
            ["statuses"] = new JsonObject
            {
                ["max_characters"] = StatusService.MaxCharacters,
                ["max_media_attachments"] = ServerlessFedi.Media.MediaLimits.MaxAttachmentsPerStatus,
                ["characters_reserved_per_url"] = StatusFormatter.CharactersReservedPerUrl,
            },
            ["media_attachments"] = new JsonObject
            {
                ["supported_mime_types"] = new JsonArray(ServerlessFedi.Media.MediaLimits.SupportedMimeTypes.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray()),
                ["image_size_limit"] = ServerlessFedi.Media.MediaLimits.ImageSizeLimit,
                ["image_matrix_limit"] = ServerlessFedi.Media.MediaLimits.ImageMatrixLimit,
                ["description_limit"] = ServerlessFedi.Media.MediaLimits.MaxDescriptionCharacters,
                ["video_size_limit"] = ServerlessFedi.Media.MediaLimits.VideoSizeLimit,
                ["video_frame_rate_limit"] = ServerlessFedi.Media.MediaLimits.VideoFrameRateLimit,
                ["video_matrix_limit"] = ServerlessFedi.Media.MediaLimits.VideoMatrixLimit,
            },
            ["polls"] = new JsonObject
            {
                ["max_options"] = 0,
                ["max_characters_per_option"] = 0,
                ["min_expiration"] = 0,
                ["max_expiration"] = 0,
            },
        };
        if (v2)
        {
            configuration["urls"] = new JsonObject { ["streaming"] = StreamingUrl, ["status"] = null };
            configuration["translation"] = new JsonObject { ["enabled"] = false };
            configuration["vapid"] = new JsonObject { ["public_key"] = "" };
        }

        return configuration;
    }

    private JsonArray Languages() =>
        new(options.Languages.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => (JsonNode)JsonValue.Create(l)!).ToArray());

    private static WireResult Respond(JsonObject doc) =>
        WireResult.Json(StatusCodes.Status200OK, doc).WithCors().WithHeader("Cache-Control", "max-age=300, public");

}
