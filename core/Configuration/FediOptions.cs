namespace ServerlessFedi.Configuration;

/// <summary>
/// The <c>Fedi</c> configuration section (environment variables <c>Fedi__*</c>).
/// <see cref="BaseUrl"/> is the only source of public URLs; nothing is derived from the request.
/// </summary>
public sealed class FediOptions
{
    public const string SectionName = "Fedi";

    /// <summary>Public origin, e.g. <c>https://social.example.gov</c>. Required.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>Domain of handles (<c>@alice@example.gov</c>) when it differs from the web host (Mastodon's LOCAL_DOMAIN vs WEB_DOMAIN).</summary>
    public string? AccountDomain { get; set; }

    public string InstanceTitle { get; set; } = "ServerlessFedi";

    public string InstanceDescription { get; set; } = "A Mastodon-compatible instance for public bodies.";

    public string? ContactEmail { get; set; }

    /// <summary>Username of the local account people should contact about this instance (the instance's <c>contact.account</c>); empty for none.</summary>
    public string? ContactAccount { get; set; }

    /// <summary>Comma-separated ISO 639-1 codes, first is the default, e.g. <c>de,en</c>.</summary>
    public string Languages { get; set; } = "en";

    public string? ImprintUrl { get; set; }

    public string? PrivacyPolicyUrl { get; set; }

    /// <summary>Imprint (Impressum) shown at <c>/imprint</c>: plain text, blank lines between paragraphs, <c># </c> starts a heading.</summary>
    public string? ImprintText { get; set; }

    /// <summary>Privacy policy shown at <c>/privacy</c>, in the same plain-text form as <see cref="ImprintText"/>.</summary>
    public string? PrivacyPolicyText { get; set; }
    /// <summary>
    /// Public URL of the media container when something other than the app serves it (a CDN or the blob endpoint,
    /// e.g. <c>https://media.example.gov</c>); a media URL is this plus the blob name. Empty: the app serves media at
    /// <c>{BaseUrl}/media/</c>.
    /// </summary>
    public string? MediaBaseUrl { get; set; }

    /// <summary>
    /// Serve remote avatars, headers, attachments and emoji through this instance (Mastodon's behaviour): apps then load
    /// them from <c>{BaseUrl}/media-proxy/...</c>, and the remote servers see this instance fetch each file once (cached
    /// in the <c>remotemedia</c> container) instead of every app's address. False: apps load them from their servers.
    /// </summary>
    public bool ProxyRemoteMedia { get; set; } = true;

    /// <summary>Server rules, one per line (Mastodon's Rule entities, numbered in order); empty for none.</summary>
    public string? Rules { get; set; }

    /// <summary>
    /// The <c>frontDoorId</c> of the Azure Front Door profile in front of the instance (a GUID; Front Door sends it as
    /// <c>X-Azure-FDID</c>). Only requests carrying it have their <c>X-Azure-ClientIP</c> believed as the client's address
    /// (rate limits, login throttling); empty when no Front Door serves the instance.
    /// </summary>
    public string? FrontDoorId { get; set; }

    /// <summary>Admits http and 127.0.0.0/8 for remote fetches and a loopback http BaseUrl. Local runs and tests only: refused with a public BaseUrl.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>
    /// Who may read the server's domain blocks at <c>/api/v1/instance/domain_blocks</c> (with their public comments):
    /// <c>disabled</c> (nobody: 404; Mastodon's default), <c>users</c> (signed-in accounts) or <c>all</c>.
    /// </summary>
    public string ShowDomainBlocks { get; set; } = "disabled";

    /// <summary>Prefix for table, queue and container names so several instances (or test runs) can share one storage account.</summary>
    public string StoragePrefix { get; set; } = "";

    /// <summary>
    /// Base64 of 32 random bytes: the AES-256-GCM key that seals TOTP secrets in storage (<c>TotpSecretProtector</c>).
    /// Needed to enrol an account and to log in to an enrolled one; changing it voids every enrolment.
    /// </summary>
    public string? TwoFactorKey { get; set; }

    /// <summary>Every login needs a second factor: accounts without one are refused at the login page with the reason.</summary>
    public bool RequireTwoFactor { get; set; }

    /// <summary>Days an agency's audit trail row is kept (team access); at least 1, at most 3,650.</summary>
    public int AuditRetentionDays { get; set; } = 365;

    /// <summary>
    /// Days a link preview card's image is kept (the <c>cards/</c> prefix of the media container, deleted by a lifecycle rule on
    /// Azure): the same number as the rule's (Bicep <c>cardImageRetentionDays</c>); 16 to 3,650 (<c>Cards.CardImages</c>).
    /// </summary>
    public int CardImageRetentionDays { get; set; } = 30;
}
