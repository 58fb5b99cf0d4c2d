using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Tests.MastodonApi;
using SkiaSharp;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// Issue 15 item 5: remote media served through this instance (<c>Fedi__ProxyRemoteMedia</c>, on by default). Apps get
/// <c>/media-proxy/...</c> URLs for remote attachments, emoji and avatars; the first request copies the file from its
/// server (once), later ones read the copy; only URLs the named row holds are served, only image, video and audio bytes,
/// and the guarded client's refusals (private addresses) hold.
/// </summary>
[TestClass]
public sealed class RemoteMediaProxyTests : FederationTest<RemoteMediaProxyTests>
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task A_remote_image_is_served_from_this_instance_fetched_once_and_revalidated_without_storage()
    {
        var (alice, token) = await AccountAsync("proxyreader");
        var mona = Peer.AddActor("mona" + Next());
        await FollowAsync(alice, mona);
        var png = ApiTestClient.Image(64, 48, SKEncodedImageFormat.Png);
        var filePath = $"/files/{Next()}.png";
        Peer.ServeBytes(filePath, "image/png", png);
        var status = await IngestAsync(token, mona, new JsonObject { ["type"] = "Document", ["mediaType"] = "image/png", ["url"] = Peer.BaseUrl + filePath, ["name"] = "A chart" });

        var attachment = status.GetProperty("media_attachments")[0];
        var url = attachment.GetProperty("url").GetString()!;
        Assert.AreEqual(Peer.BaseUrl + filePath, attachment.GetProperty("remote_url").GetString(), "remote_url stays the remote file");
        StringAssert.StartsWith(url, $"{Instance.BaseUrl}/media-proxy/statuses/{status.GetProperty("id").GetString()}/");
        Assert.AreEqual(url, attachment.GetProperty("preview_url").GetString(), "an image is its own preview");

        for (var i = 0; i < 2; i++)
        {
            using var response = await Instance.Http.GetAsync(new Uri(url));
            Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
            Assert.AreEqual("image/png", response.Content.Headers.ContentType?.MediaType);
            CollectionAssert.AreEqual(png, await response.Content.ReadAsByteArrayAsync());
            Assert.AreEqual("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }

        Assert.HasCount(1, Peer.GetsOf(filePath), "fetched once, then served from the copy");

        using var revalidation = new HttpRequestMessage(HttpMethod.Get, url);
        revalidation.Headers.TryAddWithoutValidation("If-None-Match", $"\"{url[(url.LastIndexOf('/') + 1)..]}\"");
        using var notModified = await Instance.Http.SendAsync(revalidation);
        Assert.AreEqual(HttpStatusCode.NotModified, notModified.StatusCode);

        using var ranged = new HttpRequestMessage(HttpMethod.Get, url);
        ranged.Headers.TryAddWithoutValidation("Range", "bytes=0-9");
        using var part = await Instance.Http.SendAsync(ranged);
        Assert.AreEqual(HttpStatusCode.PartialContent, part.StatusCode);
        CollectionAssert.AreEqual(png[..10], await part.Content.ReadAsByteArrayAsync());
    }

    [TestMethod]
    public async Task A_remote_avatar_is_served_from_this_instance()
    {
        var (alice, token) = await AccountAsync("proxyavatar");
        var name = "nora" + Next();
        var nora = Peer.AddActor(name);
        var avatar = ApiTestClient.Image(32, 32, SKEncodedImageFormat.Jpeg);
        var avatarPath = $"/avatars/{Next()}.jpg";
        Peer.ServeBytes(avatarPath, "image/jpeg", avatar);
        var document = Peer.DocumentOf(name);
        document["icon"] = new JsonObject { ["type"] = "Image", ["mediaType"] = "image/jpeg", ["url"] = Peer.BaseUrl + avatarPath };
        Peer.Serve(new Uri(nora.Id).AbsolutePath, document);
        await FollowAsync(alice, nora);

        var account = (await IngestAsync(token, nora)).GetProperty("account");
        var url = account.GetProperty("avatar").GetString()!;
        StringAssert.StartsWith(url, $"{Instance.BaseUrl}/media-proxy/accounts/{account.GetProperty("id").GetString()}/");
        Assert.AreEqual(url, account.GetProperty("avatar_static").GetString());

        using var response = await Instance.Http.GetAsync(new Uri(url));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        CollectionAssert.AreEqual(avatar, await response.Content.ReadAsByteArrayAsync());
    }

    [TestMethod]
    public async Task Hostile_requests_get_nothing_and_copy_nothing()
    {
        var (alice, token) = await AccountAsync("proxyguard");
        var mona = Peer.AddActor("mona" + Next());
        await FollowAsync(alice, mona);
        var htmlPath = $"/files/{Next()}.png";
        Peer.ServeRaw(htmlPath, "image/png", "<html><script>alert(1)</script></html>");
        var status = await IngestAsync(token, mona,
            new JsonObject { ["type"] = "Document", ["mediaType"] = "image/png", ["url"] = Peer.BaseUrl + htmlPath },
            new JsonObject { ["type"] = "Document", ["mediaType"] = "image/png", ["url"] = "https://10.0.0.1/internal.png" },
            new JsonObject { ["type"] = "Document", ["mediaType"] = "image/png", ["url"] = Peer.BaseUrl + "/files/missing.png" });
        var media = status.GetProperty("media_attachments");
        var disguised = media[0].GetProperty("url").GetString()!;
        var internalUrl = media[1].GetProperty("url").GetString()!;
        var missing = media[2].GetProperty("url").GetString()!;

        // HTML under an image type is no image: refused (a copy would be served as what it is not).
        Assert.AreEqual(HttpStatusCode.BadGateway, await StatusOfAsync(disguised));
        Assert.AreEqual(HttpStatusCode.BadGateway, await StatusOfAsync(disguised), "not copied: fetched again, refused again");
        Assert.HasCount(2, Peer.GetsOf(htmlPath));

        // A private address is refused by the guarded client before any connection; a remote 404 copies nothing.
        Assert.AreEqual(HttpStatusCode.BadGateway, await StatusOfAsync(internalUrl));
        Assert.AreEqual(HttpStatusCode.BadGateway, await StatusOfAsync(missing));

        // Only URLs the named row holds: another hash, another owner, a local or unknown status, junk ids.
        var prefix = disguised[..disguised.LastIndexOf('/')];
        var evil = ServerlessFedi.Configuration.InstanceUrls.RemoteMediaHash(Peer.BaseUrl + "/files/evil.png");
        Assert.AreEqual(HttpStatusCode.NotFound, await StatusOfAsync($"{prefix}/{evil}"));
        Assert.AreEqual(HttpStatusCode.NotFound, await StatusOfAsync(disguised.Replace("/statuses/", "/accounts/", StringComparison.Ordinal)));
        Assert.AreEqual(HttpStatusCode.NotFound, await StatusOfAsync(disguised.Replace("/statuses/", "/files/", StringComparison.Ordinal)));
        var local = await PostAsync(token, "a local post");
        Assert.AreEqual(HttpStatusCode.NotFound, await StatusOfAsync($"{Instance.BaseUrl}/media-proxy/statuses/{local}/{evil}"));
        Assert.AreEqual(HttpStatusCode.NotFound, await StatusOfAsync($"{Instance.BaseUrl}/media-proxy/statuses/999999999999999999/{evil}"));
        Assert.AreEqual(HttpStatusCode.NotFound, await StatusOfAsync($"{Instance.BaseUrl}/media-proxy/statuses/..%2F..%2Fetc/{evil}"));
        Assert.AreEqual(HttpStatusCode.NotFound, await StatusOfAsync($"{prefix}/{evil.ToUpperInvariant()}"));
    }

    [TestMethod]
    public async Task A_server_whose_media_is_rejected_gets_the_default_avatar_and_header_and_its_attachments_404()
    {
        var (alice, token) = await AccountAsync("proxyrejected");
        var name = "rita" + Next();
        var rita = Peer.AddActor(name);
        var avatarPath = $"/avatars/{Next()}.jpg";
        var headerPath = $"/headers/{Next()}.jpg";
        var filePath = $"/files/{Next()}.png";
        Peer.ServeBytes(avatarPath, "image/jpeg", ApiTestClient.Image(32, 32, SKEncodedImageFormat.Jpeg));
        Peer.ServeBytes(headerPath, "image/jpeg", ApiTestClient.Image(60, 20, SKEncodedImageFormat.Jpeg));
        Peer.ServeBytes(filePath, "image/png", ApiTestClient.Image(16, 16, SKEncodedImageFormat.Png));
        var document = Peer.DocumentOf(name);
        document["icon"] = new JsonObject { ["type"] = "Image", ["mediaType"] = "image/jpeg", ["url"] = Peer.BaseUrl + avatarPath };
        document["image"] = new JsonObject { ["type"] = "Image", ["mediaType"] = "image/jpeg", ["url"] = Peer.BaseUrl + headerPath };
        Peer.Serve(new Uri(rita.Id).AbsolutePath, document);
        await FollowAsync(alice, rita);
        var status = await IngestAsync(token, rita, new JsonObject { ["type"] = "Document", ["mediaType"] = "image/png", ["url"] = Peer.BaseUrl + filePath });
        var account = status.GetProperty("account");
        var avatar = account.GetProperty("avatar").GetString()!;
        var header = account.GetProperty("header").GetString()!;
        var attachment = status.GetProperty("media_attachments")[0].GetProperty("url").GetString()!;
        StringAssert.StartsWith(header, $"{Instance.BaseUrl}/media-proxy/accounts/");

        var moderation = Instance.Services.GetRequiredService<ServerlessFedi.Moderation.ModerationService>();
        var peerDomain = new Uri(Peer.BaseUrl).Authority;
        Assert.IsTrue((await moderation.BlockDomainAsync(peerDomain, ServerlessFedi.Moderation.DomainSeverity.Silence, true, false, null, CancellationToken.None)).Succeeded);
        try
        {
            foreach (var (url, png) in new[] { (avatar, ServerlessFedi.Web.DefaultImages.Avatar), (header, ServerlessFedi.Web.DefaultImages.Header) })
            {
                using var response = await Instance.Http.GetAsync(new Uri(url));
                Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, url);
                Assert.AreEqual("image/png", response.Content.Headers.ContentType?.MediaType);
                CollectionAssert.AreEqual(png, await response.Content.ReadAsByteArrayAsync(), "the default image, as Mastodon's missing.png");
                Assert.IsNull(response.Headers.ETag, "no validator: the default must not outlive a lifted block");
            }

            Assert.AreEqual(HttpStatusCode.NotFound, await StatusOfAsync(attachment), "attachments stay 404");
            Assert.AreEqual(HttpStatusCode.NotFound, await StatusOfAsync($"{avatar[..avatar.LastIndexOf('/')]}/{InstanceUrls.RemoteMediaHash(Peer.BaseUrl + "/other.png")}"), "still only the row's URLs");
            Assert.IsEmpty(Peer.GetsOf(avatarPath));
            Assert.IsEmpty(Peer.GetsOf(headerPath));
            Assert.IsEmpty(Peer.GetsOf(filePath));
        }
        finally
        {
            Assert.IsTrue(await moderation.UnblockDomainAsync(peerDomain, CancellationToken.None));
        }
    }

    [TestMethod]
    public void With_the_setting_off_remote_urls_pass_through()
    {
        var on = new InstanceUrls(new FediOptions { BaseUrl = "https://social.example.gov" });
        var off = new InstanceUrls(new FediOptions { BaseUrl = "https://social.example.gov", ProxyRemoteMedia = false });
        const string Remote = "https://files.remote.example/a.png";

        Assert.AreEqual($"https://social.example.gov/media-proxy/statuses/110000000000000001/{InstanceUrls.RemoteMediaHash(Remote)}", on.RemoteMedia("statuses", "110000000000000001", Remote));
        Assert.AreEqual(Remote, off.RemoteMedia("statuses", "110000000000000001", Remote));
        Assert.AreEqual("https://social.example.gov/media/x.png", on.RemoteMedia("statuses", "110000000000000001", "https://social.example.gov/media/x.png"), "our own files are not proxied");
        Assert.AreEqual("data:image/png;base64,AAAA", on.RemoteMedia("statuses", "110000000000000001", "data:image/png;base64,AAAA"));
        Assert.IsNull(on.RemoteMedia("accounts", "1", null));
    }

    [TestMethod]
    [DoNotParallelize]
    public async Task A_remote_video_over_16_MB_is_copied_as_it_arrives_and_served_from_this_instance_in_bounded_memory()
    {
        const long Length = 40L * 1024 * 1024;
        var (url, remote, path) = await RemoteFileAsync("proxyvideo", "video/mp4", Mp4Head, Length);

        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using (var response = await Instance.Http.GetAsync(new Uri(url), HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
            Assert.AreEqual("video/mp4", response.Content.Headers.ContentType?.MediaType);
            Assert.AreEqual(Length, response.Content.Headers.ContentLength);
            var (received, digest) = await DigestAsync(await response.Content.ReadAsStreamAsync());
            Assert.AreEqual((Length, GeneratedDigest(Mp4Head, Length)), (received, digest), "the remote file, byte for byte");
        }

        // Fetch, block-wise copy and streamed answer together: the whole process allocated far less than the file.
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        TestContext.WriteLine($"{allocated:N0} bytes allocated for a {Length:N0}-byte file");
        Assert.IsLessThan(16L * 1024 * 1024, allocated, $"{allocated:N0} bytes allocated for a {Length:N0}-byte file");

        using var ranged = new HttpRequestMessage(HttpMethod.Get, url);
        ranged.Headers.TryAddWithoutValidation("Range", "bytes=0-23");
        using var part = await Instance.Http.SendAsync(ranged);
        Assert.AreEqual(HttpStatusCode.PartialContent, part.StatusCode);
        CollectionAssert.AreEqual(Mp4Head, await part.Content.ReadAsByteArrayAsync());
        Assert.HasCount(1, Peer.GetsOf(path), "fetched once, then served from the copy");
        Assert.IsTrue(await CopyExistsAsync(remote));
    }

    [TestMethod]
    public async Task Remote_files_over_their_limit_answer_502_and_leave_no_copy()
    {
        // Undeclared length: the limit is kept while the body streams in; a declared one is refused before reading.
        var (video, videoRemote, _) = await RemoteFileAsync("proxyhuge", "video/mp4", Mp4Head, ServerlessFedi.Media.MediaLimits.VideoSizeLimit + 1L, declareLength: false);
        var (declared, declaredRemote, _) = await RemoteFileAsync("proxyhuge", "video/mp4", Mp4Head, ServerlessFedi.Media.MediaLimits.VideoSizeLimit + 1L);
        // Images keep Mastodon's image limit, 16 MB.
        var (image, imageRemote, _) = await RemoteFileAsync("proxyhuge", "image/png", PngHead, ServerlessFedi.Media.MediaLimits.ImageSizeLimit + 1L, declareLength: false);

        foreach (var (url, remote) in new[] { (video, videoRemote), (declared, declaredRemote), (image, imageRemote) })
        {
            Assert.AreEqual(HttpStatusCode.BadGateway, await StatusOfAsync(url), remote);
            Assert.IsFalse(await CopyExistsAsync(remote), remote);
        }
    }

    [TestMethod]
    public async Task A_remote_file_that_stops_half_way_leaves_no_copy_and_is_fetched_again()
    {
        const long Length = 20L * 1024 * 1024;
        var (url, remote, path) = await RemoteFileAsync("proxybroken", "video/mp4", Mp4Head, Length, breakAfter: Length / 2);

        Assert.AreEqual(HttpStatusCode.BadGateway, await StatusOfAsync(url));
        Assert.IsFalse(await CopyExistsAsync(remote), "blocks staged before the break are never committed");
        Assert.AreEqual(HttpStatusCode.BadGateway, await StatusOfAsync(url));
        Assert.HasCount(2, Peer.GetsOf(path), "nothing kept: asked again");
    }

    /// <summary>An MP4 file's first box (<c>ftyp</c>, brand <c>isom</c>): what the proxy recognises a video by.</summary>
    private static readonly byte[] Mp4Head = [0, 0, 0, 24, .. "ftypisom"u8, 0, 0, 2, 0, .. "isomiso2"u8];

    private static readonly byte[] PngHead = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>A remote status by a followed actor with one attachment the peer generates (<see cref="FakePeer.ServeGenerated"/>): its proxy URL, remote URL and path.</summary>
    private static async Task<(string Url, string Remote, string Path)> RemoteFileAsync(string reader, string mediaType, byte[] head, long length, bool declareLength = true, long? breakAfter = null)
    {
        var (alice, token) = await AccountAsync(reader + Next());
        var author = Peer.AddActor("vera" + Next());
        await FollowAsync(alice, author);
        var path = $"/files/{Next()}";
        Peer.ServeGenerated(path, mediaType, head, length, declareLength, breakAfter);
        var status = await IngestAsync(token, author, new JsonObject { ["type"] = "Document", ["mediaType"] = mediaType, ["url"] = Peer.BaseUrl + path });
        var url = status.GetProperty("media_attachments")[0].GetProperty("url").GetString()!;
        StringAssert.StartsWith(url, $"{Instance.BaseUrl}/media-proxy/statuses/");
        return (url, Peer.BaseUrl + path, path);
    }

    /// <summary>Whether the <c>remotemedia</c> container holds a (committed) copy of the file.</summary>
    private static async Task<bool> CopyExistsAsync(string remoteUrl)
    {
        var container = ServerlessFedi.Storage.StorageNames.Queue(Instance.Services.GetRequiredService<FediOptions>().StoragePrefix, ServerlessFedi.Storage.StorageNames.RemoteMediaContainer);
        var blobs = Instance.Services.GetRequiredService<ServerlessFedi.Storage.StorageAccount>().Blobs.GetBlobContainerClient(container);
        return (await blobs.GetBlobClient(ServerlessFedi.Storage.StorageKeys.Sha256Hex(remoteUrl)).ExistsAsync()).Value;
    }

    private static async Task<(long Length, string Sha256)> DigestAsync(Stream stream)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            total += read;
        }

        return (total, Convert.ToHexString(hash.GetHashAndReset()));
    }

    private static string GeneratedDigest(byte[] head, long length)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        hash.AppendData(head);
        var filler = Enumerable.Range(0, 64 * 1024).Select(i => (byte)(i * 31)).ToArray();
        for (long sent = head.Length; sent < length; sent += filler.Length)
        {
            hash.AppendData(filler, 0, (int)Math.Min(filler.Length, length - sent));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>A public Note with these attachments by <paramref name="author"/>, delivered and read back from the reader's home.</summary>
    private static async Task<JsonElement> IngestAsync(string token, PeerActor author, params JsonObject[] attachments)
    {
        var noteId = $"{author.Id}/statuses/{Next()}";
        var note = Note(noteId, author.Id, "<p>Figures of the day</p>");
        note["attachment"] = new JsonArray([.. attachments]);
        Assert.AreEqual(HttpStatusCode.Accepted, (await PostSignedAsync("/inbox", Create(author, note), author)).StatusCode);
        var home = await Eventually.ValueAsync(
            () => GetAsync("/api/v1/timelines/home", token),
            h => h.Body.EnumerateArray().Any(s => s.GetProperty("uri").GetString() == noteId),
            "the note in home");
        return home.Body.EnumerateArray().First(s => s.GetProperty("uri").GetString() == noteId);
    }

    private static async Task<HttpStatusCode> StatusOfAsync(string url)
    {
        using var response = await Instance.Http.GetAsync(new Uri(url));
        return response.StatusCode;
    }
}
