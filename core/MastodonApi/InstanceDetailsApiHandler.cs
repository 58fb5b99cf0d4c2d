using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Http;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// The smaller instance documents (docs: methods/instance): <c>peers</c>, <c>activity</c>, <c>rules</c>,
/// <c>extended_description</c>, <c>privacy_policy</c>, <c>languages</c>, <c>translation_languages</c>. All public,
/// rate limited by client address. Settings-backed answers report <see cref="SettingsReadAt"/> as <c>updated_at</c>:
/// settings are read at start-up and changing an app setting restarts the app, so that is when they last could change.
/// Storage: peers and activity as <see cref="InstanceStatistics"/> (cached 10 minutes per process); the rest none.
/// </summary>
public sealed class InstanceDetailsApiHandler(ApiAuth auth, InstanceStatistics statistics, FediOptions options, TimeProvider time)
{
    private readonly DateTimeOffset _settingsReadAt = time.GetUtcNow();

    public DateTimeOffset SettingsReadAt => _settingsReadAt;

    public async Task<WireResult> PeersAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (auth.ThrottleAnonymous(request) is { } tooMany)
        {
            return tooMany;
        }

        var peers = await statistics.PeersAsync(cancellationToken);
        return Respond(new JsonArray(peers.Select(p => (JsonNode)JsonValue.Create(p)).ToArray()));
    }

    public async Task<WireResult> ActivityAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (auth.ThrottleAnonymous(request) is { } tooMany)
        {
            return tooMany;
        }

        var weeks = await statistics.ActivityAsync(cancellationToken);
        return Respond(new JsonArray(weeks.Select(w => (JsonNode)new JsonObject
        {
            ["week"] = w.Week.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["statuses"] = w.Statuses.ToString(CultureInfo.InvariantCulture),
            ["logins"] = w.Logins.ToString(CultureInfo.InvariantCulture),
            ["registrations"] = w.Registrations.ToString(CultureInfo.InvariantCulture),
        }).ToArray()));
    }

    public WireResult Rules(HttpRequest request) => auth.ThrottleAnonymous(request) ?? Respond(RulesJson(options));

    /// <summary>Mastodon's Rule entities from <c>Fedi__Rules</c>; also the <c>rules</c> of the instance documents.</summary>
    public static JsonArray RulesJson(FediOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new JsonArray(InstanceRules.Parse(options.Rules).Select((text, i) => (JsonNode)new JsonObject
        {
            ["id"] = (i + 1).ToString(CultureInfo.InvariantCulture),
            ["text"] = text,
            ["hint"] = "",
        }).ToArray());
    }

    public WireResult ExtendedDescription(HttpRequest request) =>
        auth.ThrottleAnonymous(request) ?? Respond(new JsonObject
        {
            ["updated_at"] = Timestamp(_settingsReadAt),
            ["content"] = AccountStore.PlainTextToHtml(options.InstanceDescription ?? ""),
        });

    /// <summary>The configured policy as a link (the policy itself lives on the operator's site); 404 without one.</summary>
    public WireResult PrivacyPolicy(HttpRequest request)
    {
        if (auth.ThrottleAnonymous(request) is { } tooMany)
        {
            return tooMany;
        }

        if (string.IsNullOrWhiteSpace(options.PrivacyPolicyUrl))
        {
            return WireResult.Error(StatusCodes.Status404NotFound, "Record not found").WithCors();
        }

        var url = WebUtility.HtmlEncode(options.PrivacyPolicyUrl.Trim());
        return Respond(new JsonObject
        {
            ["updated_at"] = Timestamp(_settingsReadAt),
            ["content"] = $"<p>The privacy policy of this server is published at <a href=\"{url}\" rel=\"noopener\">{url}</a>.</p>",
        });
    }

    /// <summary>The configured languages first (in their order), then every other known code.</summary>
    public WireResult Languages(HttpRequest request)
    {
        if (auth.ThrottleAnonymous(request) is { } tooMany)
        {
            return tooMany;
        }

        var configured = (options.Languages ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var codes = configured.Concat(LanguageNames.All.Keys.Order(StringComparer.Ordinal)).Distinct(StringComparer.Ordinal);
        return Respond(new JsonArray(codes.Select(c => (JsonNode)new JsonObject { ["code"] = c, ["name"] = LanguageNames.NameOf(c) }).ToArray()));
    }

    /// <summary>This server translates nothing: an empty map of source to target languages.</summary>
    public WireResult TranslationLanguages(HttpRequest request) => auth.ThrottleAnonymous(request) ?? Respond(new JsonObject());

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static WireResult Respond(JsonNode doc) =>
        WireResult.Json(StatusCodes.Status200OK, doc).WithCors().WithHeader("Cache-Control", "max-age=300, public");
}
