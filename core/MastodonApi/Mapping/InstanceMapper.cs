using System.Globalization;
using System.Net;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Content;
using ServerlessFedi.MastodonApi.Entities;
using ServerlessFedi.Media;
using ServerlessFedi.NodeInfo;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.MastodonApi.Mapping;

/// <summary>
/// The instance documents (docs: entities/Instance, V1_Instance, Rule, ExtendedDescription, PrivacyPolicy, Activity)
/// from the configuration and the limits the server enforces: images, video and audio from <see cref="MediaLimits"/>,
/// polls from <see cref="Polls.PollLimits"/>.
/// </summary>
public sealed class InstanceMapper(InstanceUrls urls, FediOptions options, AccountMapper accounts)
{
    /// <summary>Apps parse the Mastodon version to decide which endpoints to call; the suffix names what actually answers.</summary>
    public static string Version => $"4.3.0 (compatible; ServerlessFedi {NodeInfoHandler.SoftwareVersion})";

    /// <summary>
    /// <c>api_versions.mastodon</c> (docs: entities/Instance#api-versions): every API change Mastodon numbered up to this
    /// is implemented. Version 2 (Mastodon 4.3.0) numbers the grouped notifications API only, which
    /// <see cref="GroupedNotificationApiHandler"/> answers; clients use it to switch to grouped notifications.
    /// </summary>
    public const int ApiVersion = 2;

    public Instance ToInstance(AccountTotals totals, Account? contact, string vapidPublicKey = "")
    {
        ArgumentNullException.ThrowIfNull(totals);
        return new Instance
        {
            Domain = urls.AccountDomain,
            Title = options.InstanceTitle,
            Version = Version,
            Description = options.InstanceDescription,
            Usage = new InstanceUsage(new InstanceUsageUsers(totals.ActiveMonth)),
            Thumbnail = new InstanceThumbnail(accounts.DefaultHeader),
            Languages = Languages(),
            Configuration = Configuration() with
            {
                Urls = new ConfigurationUrls { About = urls.About, PrivacyPolicy = urls.PrivacyPolicy },
                Translation = new ConfigurationTranslation(false),
                Vapid = new ConfigurationVapid(vapidPublicKey),
                TimelinesAccess = TimelinesAccess,
                LimitedFederation = false,
            },
            Registrations = new InstanceRegistrations(false, false, false, null, null, null),
            ApiVersions = new InstanceApiVersions(ApiVersion),
            Contact = new InstanceContact(options.ContactEmail ?? "", contact),
            Rules = Rules(),
        };
    }

    public V1Instance ToV1Instance(AccountTotals totals, long domainCount, Account? contact)
    {
        ArgumentNullException.ThrowIfNull(totals);
        return new V1Instance
        {
            Uri = urls.AccountDomain,
            Title = options.InstanceTitle,
            ShortDescription = options.InstanceDescription,
            Description = options.InstanceDescription,
            Email = options.ContactEmail ?? "",
            Version = Version,
            Urls = new V1InstanceUrls(null),
            Stats = new V1InstanceStats(totals.Users, totals.LocalPosts, domainCount),
            Thumbnail = accounts.DefaultHeader,
            Languages = Languages(),
            Configuration = Configuration(),
            ContactAccount = contact,
            Rules = Rules(),
        };
    }

    /// <summary>Mastodon's Rule entities from <c>Fedi__Rules</c>, numbered from 1.</summary>
    public IReadOnlyList<Rule> Rules() =>
        [.. InstanceRules.Parse(options.Rules).Select((text, i) => new Rule((i + 1).ToString(CultureInfo.InvariantCulture), text, ""))];

    /// <summary>The instance description as HTML paragraphs.</summary>
    public ExtendedDescription ToExtendedDescription(DateTimeOffset updatedAt) => new(updatedAt, NoteHtml.FromPlainText(options.InstanceDescription ?? ""));

    /// <summary>The configured policy as a link (the policy itself lives on the operator's site); null without one.</summary>
    public PrivacyPolicy? ToPrivacyPolicy(DateTimeOffset updatedAt)
    {
        if (string.IsNullOrWhiteSpace(options.PrivacyPolicyUrl))
        {
            return null;
        }

        var url = WebUtility.HtmlEncode(options.PrivacyPolicyUrl.Trim());
        return new(updatedAt, $"<p>The privacy policy of this server is published at <a href=\"{url}\" rel=\"noopener\">{url}</a>.</p>");
    }

    /// <summary>The configured languages first (in their order), then every other known code.</summary>
    public IReadOnlyList<Language> KnownLanguages() =>
        [.. Languages().Concat(LanguageNames.All.Keys.Order(StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).Select(c => new Language(c, LanguageNames.NameOf(c)))];

    /// <summary>A domain block as the instance lists it (docs: methods/instance#domain_blocks): <c>digest</c> is the SHA-256 (hex) of the domain.</summary>
    public static DomainBlock ToDomainBlock(Moderation.InstanceDomainBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        return new DomainBlock(block.Domain, Storage.StorageKeys.Sha256Hex(block.Domain), block.Severity.ToString().ToLowerInvariant()) { Comment = block.PublicComment };
    }

    public static Activity ToActivity(WeekActivity w)
    {
        ArgumentNullException.ThrowIfNull(w);
        return new(
            w.Week.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            w.Statuses.ToString(CultureInfo.InvariantCulture),
            w.Logins.ToString(CultureInfo.InvariantCulture),
            w.Registrations.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The public and tag timelines answer anonymous callers (local and remote statuses alike); there is no timeline of
    /// statuses linking a trending URL (no trends), so those feeds are disabled.
    /// </summary>
    private static readonly TimelinesAccess TimelinesAccess = new(new FeedAccess("public", "public"), new FeedAccess("public", "public"), new FeedAccess("disabled", "disabled"));

    private string[] Languages() => (options.Languages ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static InstanceConfiguration Configuration() => new()
    {
        Accounts = new ConfigurationAccounts(FeaturedTagStore.MaxPerAccount, InteractionStore.MaxPins, ProfileField.MaxFields, ProfileField.MaxLength, ProfileField.MaxLength),
        Statuses = new ConfigurationStatuses(StatusService.MaxCharacters, MediaLimits.MaxAttachmentsPerStatus, StatusFormatter.CharactersReservedPerUrl),
        MediaAttachments = new ConfigurationMediaAttachments
        {
            SupportedMimeTypes = MediaLimits.SupportedMimeTypes,
            ImageSizeLimit = MediaLimits.ImageSizeLimit,
            ImageMatrixLimit = MediaLimits.ImageMatrixLimit,
            DescriptionLimit = MediaLimits.MaxDescriptionCharacters,
            VideoSizeLimit = MediaLimits.VideoSizeLimit,
            VideoFrameRateLimit = MediaLimits.VideoFrameRateLimit,
            VideoMatrixLimit = MediaLimits.VideoMatrixLimit,
        },
        Polls = new ConfigurationPolls(Polls.PollLimits.MaxOptions, Polls.PollLimits.MaxCharactersPerOption, Polls.PollLimits.MinExpiration, Polls.PollLimits.MaxExpiration),
    };
}
