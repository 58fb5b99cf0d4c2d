using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Cards;
using ServerlessFedi.Media;
using ServerlessFedi.Remote;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Federation;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.Media;
using ServerlessFedi.Tests.Remote;

namespace ServerlessFedi.Tests.Cards;

/// <summary>
/// The card fetcher against web pages on 127.0.0.1 through the guarded client (loopback allowed as in every test;
/// private addresses never): what a page's meta tags give, and every hostile page giving no card, or no image, and
/// nothing fetched that the guard refuses. Images are stored in Azurite.
/// </summary>
[TestClass]
public sealed class CardFetcherTests
{
    private static CardPageServer _pages = null!;
    private static TestServices _services = null!;
    private static MediaStore _media = null!;

    private FakeNetwork _network = null!;
    private FakeTimeProvider _time = null!;
    private RemoteClient _client = null!;
    private CardFetcher _fetcher = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _)
    {
        _pages = await CardPageServer.StartAsync();
        _services = TestStorage.Services();
        _media = new MediaStore(_services.Tables, _services.Account, _services.Options);
    }

    [ClassCleanup]
    public static async Task StopAsync() => await _pages.DisposeAsync();

    [TestInitialize]
    public void Init()
    {
        _network = new FakeNetwork();
        _time = new FakeTimeProvider(TestRemoteClients.Now);
        _client = TestRemoteClients.Create(allowPrivateNetworks: true, _network, _time);
        _fetcher = new CardFetcher(_client, _media, new SnowflakeIds(_time), Creators, new CardImages(_services.Options, _time), _time, NullLogger<CardFetcher>.Instance);
    }

    [TestCleanup]
    public void Cleanup() => _client.Dispose();

    private static CardCreators Creators => new(new ServerlessFedi.Federation.RemoteActorStore(_services.Tables), _services.Urls);

    private Task<LinkCard?> FetchAsync(string url, LinkCard? previous = null) =>
        _fetcher.FetchAsync(new Uri(url), previous, CancellationToken.None).WaitAsync(TestRemoteClients.Guard);

    [TestMethod]
    public async Task OpenGraph_tags_give_the_card_and_its_image_is_stored_here_without_its_GPS_metadata()
    {
        var card = await FetchAsync(_pages.Url("/article"));

        Assert.IsNotNull(card);
        Assert.AreEqual(_pages.Url("/article"), card.Url);
        Assert.AreEqual("Hochwasser: Pegel & Warnungen", card.Title);
        Assert.AreEqual("Aktuelle Pegelstände des Landes.", card.Description);
        Assert.AreEqual("link", card.Type);
        Assert.AreEqual("Landesamt", card.ProviderName);
        Assert.AreEqual("Pressestelle", card.AuthorName);
        Assert.AreEqual(new DateTimeOffset(2026, 11, 30, 7, 0, 0, TimeSpan.Zero), card.PublishedAt);
        Assert.AreEqual("de", card.Language);
        Assert.AreEqual("Ein Fluss über den Ufern", card.ImageDescription);
        Assert.AreEqual(_pages.Url("/photo.jpg"), card.ImageSource);
        Assert.IsNotNull(card.ImageBlob);
        Assert.IsNotNull(card.Blurhash);
        Assert.IsTrue(card.Width > 0 && card.Height > 0 && card.Width * card.Height <= CardFetcher.ImagePixels, $"{card.Width}x{card.Height}");

        var stored = await _media.DownloadAsync(card.ImageBlob, CancellationToken.None);
        Assert.IsNotNull(stored);
        Assert.IsFalse(MediaFixtures.JpegMarkers(stored.Data).Contains(0xE1), "no EXIF (APP1) segment: the GPS position is gone");
        Assert.IsFalse(MediaFixtures.Contains(stored.Data, "GPS"));
    }

    [TestMethod]
    public async Task The_same_image_is_not_fetched_again_when_a_card_is_refreshed()
    {
        var first = await FetchAsync(_pages.Url("/article"));
        var hits = _pages.HitsOf("/photo.jpg");

        var again = await FetchAsync(_pages.Url("/article"), first);

        Assert.AreEqual(first!.ImageBlob, again!.ImageBlob);
        Assert.AreEqual(hits, _pages.HitsOf("/photo.jpg"));
    }

    [TestMethod]
    public async Task A_card_image_is_stored_under_the_expiring_prefix_and_a_refresh_near_its_retention_stores_a_new_one()
    {
        var first = await FetchAsync(_pages.Url("/article"));
        var hits = _pages.HitsOf("/photo.jpg");
        StringAssert.StartsWith(first!.ImageBlob, StorageKeys.CardImagePrefix, "where the lifecycle rule deletes it");
        Assert.AreEqual(_time.GetUtcNow(), first.ImageStoredAt);

        // Two weeks on (the card row expired): reused, as it is still shown for the new card's whole freshness.
        _time.Advance(LinkCards.Fresh);
        var reused = await FetchAsync(_pages.Url("/article"), first);
        Assert.AreEqual((first.ImageBlob, first.ImageStoredAt), (reused!.ImageBlob, reused.ImageStoredAt));
        Assert.AreEqual(hits, _pages.HitsOf("/photo.jpg"));

        // Later, the stored image would vanish while the new card is still reused: fetched and stored again.
        _time.Advance(TimeSpan.FromDays(2));
        var refreshed = await FetchAsync(_pages.Url("/article"), reused);
        Assert.AreNotEqual(first.ImageBlob, refreshed!.ImageBlob);
        StringAssert.StartsWith(refreshed.ImageBlob, StorageKeys.CardImagePrefix);
        Assert.AreEqual(_time.GetUtcNow(), refreshed.ImageStoredAt);
        Assert.AreEqual(hits + 1, _pages.HitsOf("/photo.jpg"));
        Assert.IsNotNull(await _media.DownloadAsync(refreshed.ImageBlob!, CancellationToken.None));
    }

    [TestMethod]
    public async Task The_title_element_and_the_description_meta_tag_stand_in_for_OpenGraph()
    {
        var card = await FetchAsync(_pages.Url("/plain"));

        Assert.AreEqual(("Only a title", "From the description tag.", "en"), (card!.Title, card.Description, card.Language));
        Assert.IsNull(card.ImageBlob);
        Assert.AreEqual((0, 0), (card.Width, card.Height));
    }

    [TestMethod]
    public async Task Twitter_card_tags_are_read()
    {
        var card = await FetchAsync(_pages.Url("/twitter"));

        Assert.AreEqual(("Twitter title", "Twitter description"), (card!.Title, card.Description));
    }

    [TestMethod]
    public async Task Markup_in_the_tags_is_dropped_and_an_image_on_a_private_address_is_never_requested()
    {
        var card = await FetchAsync(_pages.Url("/hostile"));

        Assert.AreEqual("Bold claim", card!.Title);
        Assert.AreEqual("Text", card.Description);
        Assert.IsNull(card.ImageBlob);
        Assert.IsNull(card.ImageSource);
        Assert.IsFalse(_network.Connections.Any(e => !IPAddress.IsLoopback(e.Address)), string.Join(", ", _network.Connections));
    }

    [TestMethod]
    public async Task An_image_over_the_size_limit_or_with_too_many_pixels_leaves_the_card_without_one()
    {
        var huge = await FetchAsync(_pages.Url("/huge-image"));
        var bomb = await FetchAsync(_pages.Url("/bomb-image"));

        Assert.AreEqual(("Huge image", null), (huge!.Title, huge.ImageBlob));
        Assert.AreEqual(("Bomb image", null), (bomb!.Title, bomb.ImageBlob));
    }

    [TestMethod]
    public async Task A_page_that_never_ends_is_read_up_to_the_limit_and_its_head_still_gives_the_card()
    {
        var card = await FetchAsync(_pages.Url("/endless"));

        Assert.AreEqual("Endless", card!.Title);
    }

    [TestMethod]
    public async Task A_page_that_does_not_answer_gives_no_card_once_the_time_limit_passes()
    {
        var fetch = _fetcher.FetchAsync(new Uri(_pages.Url("/slow")), null, CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(_pages.HitsOf("/slow") > 0), "the slow page being asked");

        _time.Advance(CardFetcher.FetchTimeout);

        Assert.IsNull(await fetch.WaitAsync(TestRemoteClients.Guard));
    }

    [TestMethod]
    public async Task A_response_that_is_not_HTML_gives_no_card()
    {
        Assert.IsNull(await FetchAsync(_pages.Url("/json")));
        Assert.IsNull(await FetchAsync(_pages.Url("/photo.jpg")));
    }

    [TestMethod]
    public async Task A_page_without_a_title_gives_no_card()
    {
        Assert.IsNull(await FetchAsync(_pages.Url("/no-title")));
    }

    [TestMethod]
    public async Task The_charset_comes_from_the_header_or_else_the_page()
    {
        Assert.AreEqual("Straße und Grüße", (await FetchAsync(_pages.Url("/latin1")))!.Title);
        Assert.AreEqual("Café €", (await FetchAsync(_pages.Url("/meta-charset")))!.Title);
    }

    [TestMethod]
    public async Task A_redirect_is_followed_and_the_card_keeps_the_posted_link()
    {
        var card = await FetchAsync(_pages.Url("/moved"));

        Assert.AreEqual((_pages.Url("/moved"), "Only a title"), (card!.Url, card.Title));
    }

    [TestMethod]
    public async Task Redirects_to_a_private_address_or_without_end_give_no_card()
    {
        Assert.IsNull(await FetchAsync(_pages.Url("/to-private")));
        Assert.IsNull(await FetchAsync(_pages.Url("/loop/0")));

        Assert.IsFalse(_network.Connections.Any(e => !IPAddress.IsLoopback(e.Address)), string.Join(", ", _network.Connections));
        Assert.AreEqual(0, _pages.HitsOf("/loop/5"), "at most three redirects are followed");
    }

    [TestMethod]
    public async Task A_plain_http_link_is_fetched_under_the_production_address_rules()
    {
        _network.Map("news.test", "93.184.216.34").Map("intranet.test", "10.0.0.5");
        using var production = TestRemoteClients.Create(allowPrivateNetworks: false, _network, _time);
        var fetcher = new CardFetcher(production, _media, new SnowflakeIds(_time), Creators, new CardImages(_services.Options, _time), _time, NullLogger<CardFetcher>.Instance);
        Task<LinkCard?> Fetch(string url) => fetcher.FetchAsync(new Uri(url), null, CancellationToken.None).WaitAsync(TestRemoteClients.Guard);

        Assert.IsNull(await Fetch("http://news.test/article"), "the fake connector refuses the public address after it was tried");
        Assert.IsNull(await Fetch("http://intranet.test/"));
        Assert.IsNull(await Fetch(_pages.Url("/article")));

        CollectionAssert.AreEqual(new[] { new IPEndPoint(IPAddress.Parse("93.184.216.34"), 80) }, _network.Connections.ToArray(), "http to a public address only");
    }

    [TestMethod]
    [DataRow("http://192.168.1.1/")]
    [DataRow("http://10.1.2.3:8080/status")]
    [DataRow("http://169.254.169.254/latest/meta-data/")]
    [DataRow("http://[::1]/")]
    public async Task A_link_to_a_private_address_is_refused_without_a_connection(string link)
    {
        Assert.IsNull(await FetchAsync(link));

        Assert.IsEmpty(_network.Connections);
    }
}
