using ServerlessFedi.Storage;

namespace ServerlessFedi.Configuration;

/// <summary>
/// Every public URL the instance emits, built from the validated configuration.
/// URL shapes follow Mastodon's (<c>/users/{name}</c>, <c>/@{name}</c>) so remote servers and apps find what they expect.
/// </summary>
public sealed class InstanceUrls
{
    public InstanceUrls(FediOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = FediOptionsValidator.Validate(options);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid configuration: " + string.Join(" ", errors));
        }

        var uri = new Uri(options.BaseUrl.TrimEnd('/'), UriKind.Absolute);
        Base = uri.GetLeftPart(UriPartial.Authority);
        WebDomain = uri.IsDefaultPort ? uri.Host.ToLowerInvariant() : $"{uri.Host.ToLowerInvariant()}:{uri.Port}";
        AccountDomain = string.IsNullOrWhiteSpace(options.AccountDomain) ? WebDomain : options.AccountDomain.Trim().ToLowerInvariant();
        MediaBase = string.IsNullOrWhiteSpace(options.MediaBaseUrl) ? $"{Base}/media" : options.MediaBaseUrl.Trim().TrimEnd('/');
        ProxiesRemoteMedia = options.ProxyRemoteMedia;
        Imprint = string.IsNullOrWhiteSpace(options.ImprintUrl) || !string.IsNullOrWhiteSpace(options.ImprintText) ? $"{Base}/imprint" : options.ImprintUrl;
        PrivacyPolicy = string.IsNullOrWhiteSpace(options.PrivacyPolicyUrl) || !string.IsNullOrWhiteSpace(options.PrivacyPolicyText) ? $"{Base}/privacy" : options.PrivacyPolicyUrl;
    }

    /// <summary>The operator's imprint: our <c>/imprint</c> page, or the configured URL when only that is set.</summary>
    public string Imprint { get; }

    /// <summary>The privacy policy: our <c>/privacy</c> page, or the configured URL when only that is set.</summary>
    public string PrivacyPolicy { get; }

    /// <summary>Origin without trailing slash, e.g. <c>https://social.example.gov</c>.</summary>
    public string Base { get; }

    /// <summary>Host (and port when not default) the instance is served at; the <c>host</c> of HTTP signatures.</summary>
    public string WebDomain { get; }

    /// <summary>Domain part of handles: <c>alice@{AccountDomain}</c>.</summary>
    public string AccountDomain { get; }

    public string Actor(string username) => $"{Base}/users/{username}";

    public string ActorKey(string username) => $"{Actor(username)}#main-key";

    public string ActorEd25519Key(string username) => $"{Actor(username)}#ed25519-key";

    public string Inbox(string username) => $"{Actor(username)}/inbox";

    public string Outbox(string username) => $"{Actor(username)}/outbox";

    public string Followers(string username) => $"{Actor(username)}/followers";

    public string Following(string username) => $"{Actor(username)}/following";

    public string Featured(string username) => $"{Actor(username)}/collections/featured";

    public string FeaturedTags(string username) => $"{Actor(username)}/collections/tags";

    public string Profile(string username) => $"{Base}/@{username}";

    public string SharedInbox => $"{Base}/inbox";

    /// <summary>A status's ActivityPub id (Mastodon's shape).</summary>
    public string Status(string username, string statusId) => $"{Actor(username)}/statuses/{statusId}";

    /// <summary>Where the authorization of a quote of a status is published (FEP-044f <c>QuoteAuthorization</c>).</summary>
    public string QuoteAuthorization(string username, string statusId, string authorizationId) => $"{Status(username, statusId)}/quote_authorizations/{authorizationId}";

    /// <summary>A status's public web page.</summary>
    public string StatusPage(string username, string statusId) => $"{Profile(username)}/{statusId}";

    public string Tag(string tag) => $"{Base}/tags/{Uri.EscapeDataString(tag)}";

    /// <summary>The instance actor (Mastodon serves it at <c>/actor</c>; its preferredUsername is the domain).</summary>
    public string InstanceActor => $"{Base}/actor";

    public string InstanceActorKey => $"{InstanceActor}#main-key";

    public string InstanceActorInbox => $"{InstanceActor}/inbox";

    public string InstanceActorOutbox => $"{InstanceActor}/outbox";

    public string AuthorizeInteractionTemplate => $"{Base}/authorize_interaction?uri={{uri}}";

    public string About => $"{Base}/about";

    /// <summary>Where media files are served from: <c>Fedi__MediaBaseUrl</c>, or <c>{Base}/media</c> (the app's own route).</summary>
    public string MediaBase { get; }

    /// <summary>The public URL of a media blob (see <c>StorageKeys.MediaBlob</c>).</summary>
    public string Media(string blobName) => $"{MediaBase}/{blobName}";

    /// <summary>Whether remote media is served through this instance (<c>Fedi__ProxyRemoteMedia</c>, on by default).</summary>
    public bool ProxiesRemoteMedia { get; }

    /// <summary>
    /// The URL apps load a remote file from: with <see cref="ProxiesRemoteMedia"/>, <c>{Base}/media-proxy/{owner}/{id}/{hash}</c>,
    /// where <paramref name="owner"/> (<c>accounts</c> or <c>statuses</c>) and <paramref name="ownerId"/> name the row that
    /// holds the remote URL and the hash (<see cref="RemoteMediaHash"/>) says which of its URLs; the proxy serves only
    /// URLs such a row holds, so it is no open proxy. Our own URLs, non-http(s) values and null pass through unchanged.
    /// </summary>
    public string? RemoteMedia(string owner, string ownerId, string? remoteUrl) =>
        ProxiesRemoteMedia && remoteUrl is not null && !IsOwn(remoteUrl) && !remoteUrl.StartsWith(MediaBase + "/", StringComparison.Ordinal)
            && (remoteUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || remoteUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            ? $"{Base}/media-proxy/{owner}/{ownerId}/{RemoteMediaHash(remoteUrl)}"
            : remoteUrl;

    /// <summary>The first 16 hex digits of the SHA-256 of a remote file's URL: which of its owner's URLs a proxy URL means.</summary>
    public static string RemoteMediaHash(string remoteUrl) => StorageKeys.Sha256Hex(remoteUrl)[..16];

    /// <summary>Whether <paramref name="url"/> is on this instance (starts with <see cref="Base"/> and a slash).</summary>
    public bool IsOwn(string? url) => url is not null && url.StartsWith(Base + "/", StringComparison.Ordinal);

    /// <summary>The username when <paramref name="url"/> is one of our actor URLs (<see cref="Actor"/>), else null.</summary>
    public string? UsernameOfActor(string? url) =>
        Segments(url) is ["users", var name] && IsUsername(name) ? name : null;

    /// <summary>Our actor's URL when <paramref name="activityId"/> is one of its activity ids (<c>{actor}#{kind}/...</c>, as a Follow's), else null.</summary>
    public string? ActorOfActivity(string? activityId) =>
        activityId?.IndexOf('#', StringComparison.Ordinal) is > 0 and var hash && UsernameOfActor(activityId[..hash]) is not null ? activityId[..hash] : null;

    /// <summary>The username when <paramref name="url"/> is one of our profile pages (<see cref="Profile"/>), else null.</summary>
    public string? UsernameOfProfile(string? url) =>
        Segments(url) is [var page] && page.StartsWith('@') && IsUsername(page[1..]) ? page[1..] : null;

    /// <summary>
    /// The author's username and the status id when <paramref name="url"/> is one of our status ids (<see cref="Status"/>)
    /// or status pages (<see cref="StatusPage"/>), else null.
    /// </summary>
    public (string Username, string StatusId)? StatusOf(string? url) => Segments(url) switch
    {
        ["users", var name, "statuses", var id] when IsUsername(name) && SnowflakeIds.IsValid(id) => (name, id),
        [var page, var id] when page.StartsWith('@') && IsUsername(page[1..]) && SnowflakeIds.IsValid(id) => (page[1..], id),
        _ => null,
    };

    /// <summary>The status id when <paramref name="url"/> is one of our status ids (<see cref="Status"/>), not a page; else null.</summary>
    public string? StatusIdOf(string? url) =>
        Segments(url) is ["users", var name, "statuses", var id] && IsUsername(name) && SnowflakeIds.IsValid(id) ? id : null;

    /// <summary>The path segments of one of our URLs (no query or fragment), or null for another origin.</summary>
    private string[]? Segments(string? url) =>
        IsOwn(url) && url!.IndexOfAny(['?', '#']) < 0 ? url[(Base.Length + 1)..].Split('/') : null;

    private static bool IsUsername(string name) => name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
