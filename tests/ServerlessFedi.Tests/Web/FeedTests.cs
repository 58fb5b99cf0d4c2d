using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Xml;
using System.Xml.Linq;
using ServerlessFedi.Accounts;
using ServerlessFedi.Statuses;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Web;

/// <summary>RSS 2.0 and Atom feeds of an account's public posts, read back with System.Xml.</summary>
[TestClass]
public sealed class FeedTests
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    private static TestInstance _instance = null!;
    private static LocalAccount _alice = null!;
    private static Status _older = null!;
    private static Status _newer = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        _alice = await _instance.CreateAccountAsync("alice", displayName: "Alice <Agency> & Co");
        _older = await WebFixture.PostAsync(_instance, _alice, "First post <b>not bold</b> https://example.gov/a?b=1&c=2 #Hello");
        await WebFixture.PostAsync(_instance, _alice, "Followers only", Visibility.Private);
        await WebFixture.PostAsync(_instance, _alice, "Unlisted one", Visibility.Unlisted);
        _newer = await WebFixture.PostAsync(_instance, _alice, "Second post #News #Hello");
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    private static async Task<(HttpResponseMessage Response, XDocument Document)> GetFeedAsync(string path)
    {
        var response = await _instance.Http.GetAsync(path);
        var stream = await response.Content.ReadAsStreamAsync();
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        return (response, XDocument.Load(reader));
    }

    [TestMethod]
    public async Task The_RSS_feed_lists_public_posts_newest_first_with_html_descriptions_and_categories()
    {
        var (response, doc) = await GetFeedAsync("/@alice.rss");
        var channel = doc.Root!.Element("channel")!;
        var items = channel.Elements("item").ToList();
        var newerUrl = $"{_instance.BaseUrl}/@alice/{_newer.Id}";

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("application/rss+xml", response.Content.Headers.ContentType!.MediaType);
        Assert.AreEqual("2.0", doc.Root.Attribute("version")!.Value);
        Assert.AreEqual("Alice <Agency> & Co", channel.Element("title")!.Value);
        Assert.AreEqual($"{_instance.BaseUrl}/@alice", channel.Element("link")!.Value);
        Assert.AreEqual($"{_instance.BaseUrl}/@alice.rss", channel.Element(Atom + "link")!.Attribute("href")!.Value);
        Assert.HasCount(2, items);
        Assert.AreEqual(newerUrl, items[0].Element("link")!.Value);
        Assert.AreEqual(newerUrl, items[0].Element("guid")!.Value);
        Assert.AreEqual("Second post #News #Hello", items[0].Element("title")!.Value);
        CollectionAssert.AreEquivalent(new[] { "news", "hello" }, items[0].Elements("category").Select(c => c.Value.ToLowerInvariant()).ToArray());
        var published = DateTimeOffset.ParseExact(items[1].Element("pubDate")!.Value, "r", CultureInfo.InvariantCulture);
        Assert.AreEqual(_older.CreatedAt.ToUnixTimeSeconds(), published.ToUnixTimeSeconds());
        var description = items[1].Element("description")!.Value;
        Assert.AreEqual(_older.ContentHtml, description);
        StringAssert.Contains(description, "&lt;b&gt;not bold&lt;/b&gt;");
        StringAssert.Contains(description, "href=\"https://example.gov/a?b=1&amp;c=2\"");
    }

    [TestMethod]
    public async Task The_Atom_feed_has_ids_dates_links_html_content_and_categories()
    {
        var (response, doc) = await GetFeedAsync("/@alice.atom");
        var feed = doc.Root!;
        var entries = feed.Elements(Atom + "entry").ToList();

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        Assert.AreEqual(Atom + "feed", feed.Name);
        Assert.AreEqual($"{_instance.BaseUrl}/@alice", feed.Element(Atom + "id")!.Value);
        Assert.AreEqual("Alice <Agency> & Co", feed.Element(Atom + "title")!.Value);
        Assert.IsNotNull(feed.Element(Atom + "updated"));
        Assert.AreEqual($"{_instance.BaseUrl}/@alice.atom", feed.Elements(Atom + "link").Single(l => l.Attribute("rel")!.Value == "self").Attribute("href")!.Value);
        Assert.HasCount(2, entries);
        Assert.AreEqual($"{_instance.BaseUrl}/users/alice/statuses/{_newer.Id}", entries[0].Element(Atom + "id")!.Value);
        Assert.AreEqual($"{_instance.BaseUrl}/@alice/{_newer.Id}", entries[0].Element(Atom + "link")!.Attribute("href")!.Value);
        Assert.AreEqual("html", entries[1].Element(Atom + "content")!.Attribute("type")!.Value);
        Assert.AreEqual(_older.ContentHtml, entries[1].Element(Atom + "content")!.Value);
        Assert.AreEqual("hello", entries[1].Element(Atom + "category")!.Attribute("term")!.Value.ToLowerInvariant());
        XmlConvert.ToDateTimeOffset(entries[1].Element(Atom + "published")!.Value);
    }

    [TestMethod]
    [DataRow("/@alice.rss")]
    [DataRow("/@alice.atom")]
    public async Task Feeds_are_cacheable_with_ETag_and_304(string path)
    {
        var first = await _instance.Http.GetAsync(path);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, path);
        conditional.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(first.Headers.ETag!.Tag));

        Assert.IsTrue(first.Headers.CacheControl!.Public);
        Assert.AreEqual("nosniff", first.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.AreEqual(HttpStatusCode.NotModified, (await _instance.Http.SendAsync(conditional)).StatusCode);
    }

    [TestMethod]
    public async Task Feeds_of_unknown_accounts_are_404()
    {
        Assert.AreEqual(HttpStatusCode.NotFound, (await _instance.Http.GetAsync("/@nobody.rss")).StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, (await _instance.Http.GetAsync("/@nobody.atom")).StatusCode);
    }
}
