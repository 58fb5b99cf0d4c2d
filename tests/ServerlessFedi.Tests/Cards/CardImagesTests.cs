using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Accounts;
using ServerlessFedi.Cards;
using ServerlessFedi.Configuration;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;
using ServerlessFedi.Web;

namespace ServerlessFedi.Tests.Cards;

/// <summary>
/// Issue 15: card images expire. The lifecycle rule deletes them <c>Fedi__CardImageRetentionDays</c> after they were
/// written (Azurite has none; <c>BicepOperationsTests</c> checks the rule), so the API's <c>card.image</c> and the public
/// page's card drop the image a day before, on the clock the app is given; the card itself stays.
/// </summary>
[TestClass]
public sealed class CardImagesTests
{
    private static readonly DateTimeOffset Stored = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static readonly FediOptions Options = new() { BaseUrl = "https://social.example.gov", CardImageRetentionDays = 30 };

    private static readonly InstanceUrls Urls = new(Options);

    private static readonly LinkCard Card = new()
    {
        Url = "https://news.example/flood",
        Title = "Flood warning",
        ImageBlob = StorageKeys.CardImageBlob("110000000000000042", "0123456789abcdef", "jpg"),
        ImageStoredAt = Stored,
        ImageSource = "https://news.example/flood.jpg",
        ImageDescription = "The river over its banks",
        Width = 640,
        Height = 336,
        Blurhash = "UBL_:rOpGG-oBUNG,qRj2so|=eE1w^n4S5NH",
    };

    private static LocalAccount Author { get; } = new()
    {
        Id = "110000000000000001",
        Username = "alice",
        PasswordHash = "unused",
        CreatedAt = Stored,
        RsaPrivateKeyPem = "unused",
        RsaPublicKeyPem = "unused",
        Ed25519PrivateKey = [],
        Ed25519PublicKey = [],
    };

    [TestMethod]
    public void The_API_shows_a_card_image_until_a_day_before_its_retention_then_the_card_without_it()
    {
        var time = new FakeTimeProvider(Stored);
        var mapper = new StatusMapper(Urls, new AccountMapper(Urls), new MediaAttachmentMapper(Urls), new PollMapper(time), new CardImages(Options, time));
        var status = new Status { Id = "110000000000000043", AccountId = Author.Id, Text = "https://news.example/flood", ContentHtml = "<p>x</p>", CreatedAt = Stored, Card = Card };
        ServerlessFedi.MastodonApi.Entities.PreviewCard Render() => mapper.ToStatus(status, Author).Card!;

        time.Advance(TimeSpan.FromDays(29) - TimeSpan.FromSeconds(1));
        Assert.AreEqual(Urls.Media(Card.ImageBlob!), Render().Image);
        Assert.AreEqual((640, 336, "The river over its banks"), (Render().Width, Render().Height, Render().ImageDescription));

        time.Advance(TimeSpan.FromSeconds(1));
        var card = Render();
        Assert.IsNull(card.Image, "a day before the lifecycle rule may delete the file");
        Assert.AreEqual((0, 0, "", (string?)null), (card.Width, card.Height, card.ImageDescription, card.Blurhash));
        Assert.AreEqual(("Flood warning", "https://news.example/flood"), (card.Title, card.Url), "the card itself stays");
    }

    [TestMethod]
    public void The_public_page_drops_the_image_at_the_same_time_and_images_kept_forever_stay()
    {
        var retention = TimeSpan.FromDays(Options.CardImageRetentionDays);

        Assert.IsNotNull(PostCard.Of(CardImages.Shown(Card, retention, Stored.AddDays(29).AddSeconds(-1)), Urls).ImageUrl);
        Assert.IsNull(PostCard.Of(CardImages.Shown(Card, retention, Stored.AddDays(29)), Urls).ImageUrl);
        var older = Card with { ImageBlob = StorageKeys.MediaBlob("110000000000000040", "0123456789abcdef", "original", "jpg"), ImageStoredAt = null };
        Assert.IsNotNull(PostCard.Of(CardImages.Shown(older, retention, Stored.AddYears(1)), Urls).ImageUrl, "outside the prefix: never deleted, so still shown");
    }

    [TestMethod]
    public void A_retention_shorter_than_a_card_is_reused_is_refused_at_start()
    {
        Assert.AreEqual(CardImages.MinRetentionDays, (LinkCards.Fresh + CardImages.Margin).TotalDays + 1);
        var errors = FediOptionsValidator.Validate(new FediOptions { BaseUrl = "https://social.example.gov", CardImageRetentionDays = 15 });
        Assert.IsTrue(errors.Any(e => e.Contains("Fedi__CardImageRetentionDays", StringComparison.Ordinal)), string.Join("; ", errors));
        Assert.IsFalse(FediOptionsValidator.Validate(Options).Any(e => e.Contains("CardImageRetentionDays", StringComparison.Ordinal)));
    }
}
