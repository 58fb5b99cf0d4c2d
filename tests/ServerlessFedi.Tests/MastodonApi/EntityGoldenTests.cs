using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Filters;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Statuses;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>
/// Each Mastodon entity the mappers build, from fixed records, against its golden file (docs: entities/Account,
/// entities/Status, entities/MediaAttachment, entities/Relationship, entities/Filter, FilterKeyword, FilterStatus,
/// FilterResult, V1_Filter). No storage: these pin the mappers alone; <see cref="ApiGoldenTests"/> pins whole answers.
/// </summary>
[TestClass]
public sealed class EntityGoldenTests
{
    private static readonly DateTimeOffset Created = new(2026, 3, 2, 9, 15, 30, 250, TimeSpan.Zero);

    private static readonly InstanceUrls Urls = new(new FediOptions { BaseUrl = "https://social.example.gov" });

    private static readonly AccountMapper Accounts = new(Urls);

    private static readonly StatusMapper Statuses = new(Urls, Accounts, new MediaAttachmentMapper(Urls), new PollMapper(TimeProvider.System), new ServerlessFedi.Cards.CardImages(new FediOptions(), TimeProvider.System));

    [TestMethod]
    public void Local_account() => GoldenJson.Match("entity-account-local", Accounts.ToAccount(Alice), Wire.Account);

    [TestMethod]
    public void Local_account_without_images_or_fields() => GoldenJson.Match("entity-account-local-plain", Accounts.ToAccount(Bob), Wire.Account);

    [TestMethod]
    public void Credential_account() => GoldenJson.Match("entity-credential-account", Accounts.ToCredentialAccount(Alice), Wire.Account);

    [TestMethod]
    public void Remote_account() => GoldenJson.Match("entity-account-remote", Accounts.ToAccount(Remote), Wire.Account);

    [TestMethod]
    public void Remote_account_with_few_properties() => GoldenJson.Match("entity-account-remote-plain", Accounts.ToAccount(RemotePlain), Wire.Account);

    [TestMethod]
    public void Relationship() => GoldenJson.Match("entity-relationship", RelationshipMapper.ToRelationship(new ServerlessFedi.Federation.Relationship(
        "109999999999999999", Following: true, Requested: false, FollowedBy: true, RequestedBy: true, Blocking: false, BlockedBy: false, Muting: true, DomainBlocking: true, ShowingReblogs: false)), Wire.Relationship);

    [TestMethod]
    public void Local_status_with_media_mentions_tags_and_application() => GoldenJson.Match("entity-status-local", Statuses.ToStatus(LocalStatus, Alice), Wire.Status);

    [TestMethod]
    public void Deleted_status_carries_its_source_text() => GoldenJson.Match("entity-status-local-with-text", Statuses.ToStatus(LocalStatus with { Media = [] }, Alice, includeSourceText: true), Wire.Status);

    /// <summary>Mastodon 4.5's quote fields: a pending quote (no quoted status yet), and a followers-only quote policy.</summary>
    [TestMethod]
    public void Status_quoting_another_with_a_followers_quote_policy() => GoldenJson.Match("entity-status-quote-pending",
        Statuses.ToStatus(LocalStatus with
        {
            Media = [],
            QuotePolicy = ServerlessFedi.Quotes.QuotePolicy.Followers,
            QuotesCount = 2,
            Quote = new ServerlessFedi.Quotes.StatusQuote { QuotedUri = "https://remote.example/users/carol/statuses/1", State = ServerlessFedi.Quotes.QuoteState.Pending },
        }, Alice), Wire.Status);

    [TestMethod]
    public void Remote_status_with_remote_media_and_emoji() =>
        GoldenJson.Match("entity-status-remote", Statuses.ToStatus(RemoteStatus, Accounts.ToAccount(Remote), RemoteStatus.Uri!, RemoteStatus.Url!), Wire.Status);

    [TestMethod]
    public void Status_with_a_link_preview_card() => GoldenJson.Match("entity-status-card", Statuses.ToStatus(LocalStatus with
    {
        Media = [],
        Card = new ServerlessFedi.Cards.LinkCard
        {
            Url = "https://news.example/2026/03/flood",
            Title = "Flood warning for the Rhine",
            Description = "Water levels rise above 7 m.",
            ProviderName = "News Example",
            AuthorName = "Press office",
            ImageBlob = "109999999999999990/0123456789abcdef/original.jpg",
            ImageSource = "https://news.example/images/flood.jpg",
            ImageDescription = "The river over its banks",
            Width = 640,
            Height = 336,
            Blurhash = "UBL_:rOpGG-oBUNG,qRj2so|=eE1w^n4S5NH",
            PublishedAt = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero),
            Language = "en",
        },
    }, Alice), Wire.Status);

    [TestMethod]
    public void Local_media_attachment_with_focus() => GoldenJson.Match("entity-media-local", new MediaAttachmentMapper(Urls).ToMediaAttachment(Photo), Wire.MediaAttachment);

    [TestMethod]
    public void Local_media_attachment_without_description_or_focus() =>
        GoldenJson.Match("entity-media-local-plain", new MediaAttachmentMapper(Urls).ToMediaAttachment(Photo with { Description = null, FocusX = null, FocusY = null }), Wire.MediaAttachment);

    [TestMethod]
    public void Remote_media_attachment() => GoldenJson.Match("entity-media-remote", new MediaAttachmentMapper(Urls).ToMediaAttachment(RemoteStatus.Id, 0, RemoteStatus.RemoteMedia[0]), Wire.MediaAttachment);

    [TestMethod]
    public void Remote_media_attachment_without_size() => GoldenJson.Match("entity-media-remote-plain", new MediaAttachmentMapper(Urls).ToMediaAttachment(RemoteStatus.Id, 1, RemoteStatus.RemoteMedia[1]), Wire.MediaAttachment);

    [TestMethod]
    public void Filter_with_keywords_and_statuses() => GoldenJson.Match("entity-filter", FilterMapper.ToFilter(Filter), Wire.Filter);

    [TestMethod]
    public void Filter_keyword() => GoldenJson.Match("entity-filter-keyword", FilterMapper.ToKeyword(Filter.Keywords[0]), Wire.FilterKeyword);

    [TestMethod]
    public void Filter_status() => GoldenJson.Match("entity-filter-status", FilterMapper.ToStatus(Filter.Statuses[0]), Wire.FilterStatus);

    [TestMethod]
    public void Filter_results() => GoldenJson.Match("entity-filter-results", FilterMapper.ToFilterResults(
    [
        new FilterMatch(Filter, ["strike"], []),
        new FilterMatch(Filter with { Id = "110000000000000009", ExpiresAt = null, Keywords = [], Action = "blur" }, [], ["110000000000000002"]),
    ]), Wire.IReadOnlyListFilterResult);

    [TestMethod]
    public void V1_filter() => GoldenJson.Match("entity-v1-filter", FilterMapper.ToV1Filter(Filter with { Action = "hide" }, Filter.Keywords[1]), Wire.V1Filter);

    private static LocalAccount Alice { get; } = new()
    {
        Id = "110000000000000001",
        Username = "alice",
        DisplayName = "Alice & the \"Agency\" <Ämter>",
        Note = "<p>Official account of the agency.<br />Ask us: 🌍</p>",
        NoteText = "Official account of the agency.\nAsk us: 🌍",
        PasswordHash = "unused",
        ActorType = ActorType.Organization,
        Locked = true,
        Discoverable = true,
        Indexable = false,
        CreatedAt = Created,
        LastStatusAt = Created.AddDays(3).AddHours(20),
        StatusesCount = 12,
        FollowersCount = 340,
        FollowingCount = 5,
        RsaPrivateKeyPem = "unused",
        RsaPublicKeyPem = "unused",
        Ed25519PrivateKey = [],
        Ed25519PublicKey = [],
        DefaultPrivacy = "unlisted",
        DefaultSensitive = true,
        DefaultLanguage = "de",
        AvatarBlob = "110000000000000050/0123456789abcdef/original.png",
        HeaderBlob = "110000000000000051/fedcba9876543210/original.jpg",
        Fields = [new ProfileField("Website", "https://agency.example.gov/"), new ProfileField("Phone", "+49 30 1234 <5>")],
    };

    private static LocalAccount Bob { get; } = new()
    {
        Id = "110000000000000003",
        Username = "bob",
        PasswordHash = "unused",
        ActorType = ActorType.Service,
        CreatedAt = Created.AddDays(1),
        RsaPrivateKeyPem = "unused",
        RsaPublicKeyPem = "unused",
        Ed25519PrivateKey = [],
        Ed25519PublicKey = [],
    };

    private static RemoteActor Remote { get; } = new(
        "https://remote.example/users/carol", "Group", "carol", "Carol's Club", "https://remote.example/users/carol/inbox", "https://remote.example/inbox",
        "https://remote.example/@carol", "https://remote.example/users/carol#main-key", "unused", null, null, Created.AddDays(-10))
    {
        Summary = "<p>A club on another server</p>",
        IconUrl = "https://files.remote.example/avatars/carol.png",
        ImageUrl = "https://files.remote.example/headers/carol.jpg",
        Locked = true,
        Published = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero),
    };

    private static RemoteActor RemotePlain { get; } = new(
        "https://other.example/ap/actors/42", "Application", null, null, "https://other.example/ap/actors/42/inbox", null,
        null, null, null, null, null, Created.AddDays(-2));

    private static ServerlessFedi.Media.MediaAttachment Photo { get; } = new()
    {
        Id = "110000000000000020",
        AccountId = Alice.Id,
        OriginalBlob = "110000000000000020/00112233aabbccdd/original.jpg",
        OriginalContentType = "image/jpeg",
        OriginalWidth = 1600,
        OriginalHeight = 1200,
        SmallBlob = "110000000000000020/00112233aabbccdd/small.jpg",
        SmallContentType = "image/jpeg",
        SmallWidth = 640,
        SmallHeight = 480,
        Description = "A river & a bridge at dusk",
        FocusX = -0.25,
        FocusY = 0.5,
        Blurhash = "LEHV6nWB2yk8pyo0adR*.7kCMdnj",
        StatusId = "110000000000000002",
        CreatedAt = Created,
    };

    private static Status LocalStatus { get; } = new()
    {
        Id = "110000000000000002",
        AccountId = Alice.Id,
        Text = "Hello @bob and @dave@remote.example #Opening https://agency.example.gov/news",
        ContentHtml = "<p>Hello <span class=\"h-card\"><a href=\"https://social.example.gov/@bob\" class=\"u-url mention\">@<span>bob</span></a></span> #Opening</p>",
        SpoilerText = "Opening hours",
        Sensitive = true,
        Visibility = Visibility.Unlisted,
        Language = "en",
        InReplyToId = "110000000000000000",
        InReplyToAccountId = Bob.Id,
        Mentions =
        [
            new StatusMention("bob", null, "https://social.example.gov/users/bob", "https://social.example.gov/@bob", null, Bob.Id),
            new StatusMention("dave", "remote.example", "https://remote.example/users/dave", "https://remote.example/@dave", "https://remote.example/users/dave/inbox"),
        ],
        Tags = ["opening", "news"],
        CreatedAt = Created.AddMinutes(5),
        EditedAt = Created.AddMinutes(7),
        ApplicationName = "Agency CMS",
        RepliesCount = 1,
        ReblogsCount = 2,
        FavouritesCount = 3,
        Media = [Photo],
    };

    private static Status RemoteStatus { get; } = new()
    {
        Id = "110000000000000030",
        AccountId = Remote.AccountId,
        Text = "",
        ContentHtml = "<p>Hi from the club :wave:</p>",
        Visibility = Visibility.Public,
        Language = null,
        CreatedAt = Created.AddHours(1),
        Uri = "https://remote.example/users/carol/statuses/77",
        Url = "https://remote.example/@carol/77",
        RemoteMedia =
        [
            new RemoteAttachment { Type = "image", Url = "https://files.remote.example/media/1.png", MediaType = "image/png", Description = "Club logo", Blurhash = "UBL_:rOpGG-oBUNG,qRj2so|=eE1w^n4S5NH", Width = 300, Height = 200, FocusX = 0.1, FocusY = -0.2 },
            new RemoteAttachment { Type = "video", Url = "https://files.remote.example/media/2.mp4", MediaType = "video/mp4" },
        ],
        Emojis = [new RemoteEmoji("wave", "https://files.remote.example/emoji/wave.png")],
        Tags = ["club"],
    };

    private static Filter Filter { get; } = new()
    {
        Id = "110000000000000008",
        AccountId = Alice.Id,
        Title = "Strikes",
        Context = ["home", "public", "thread"],
        Action = "warn",
        ExpiresAt = Created.AddDays(7),
        Keywords = [new FilterKeyword("110000000000000010", "strike", true), new FilterKeyword("110000000000000011", "walkout", false)],
        Statuses = [new FilterStatus("110000000000000012", "110000000000000002")],
    };
}
