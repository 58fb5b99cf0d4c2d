using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Media;
using ServerlessFedi.Media.Av;
using ServerlessFedi.Statuses;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Federation;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.MastodonApi;
using ServerlessFedi.Tests.Media.Av;

namespace ServerlessFedi.Tests.Media;

/// <summary>
/// Video and audio over real HTTP (docs: methods/media, entities/MediaAttachment): v2 answers 202 and the media queue
/// finishes the upload, v1 answers 200 at once; the stored clip has no location or device metadata and still plays; the
/// status carries it, the federated Note has its Document, and the public page plays it without autoplay.
/// </summary>
[TestClass]
public sealed class VideoApiTests
{
    private static TestInstance _instance = null!;
    private static LocalAccount _alice = null!;
    private static string _token = "";

    private static ApiTestClient Api => new(_instance);

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        (_alice, _token) = await Api.AccountAsync("alice", "read", "write");
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    [TestMethod]
    public async Task A_video_uploaded_to_v2_is_finished_by_the_queue_without_its_GPS_and_is_posted_federated_and_shown()
    {
        var original = AvFixtures.Read("iphone.mov");

        var (status, accepted) = await Upload("/api/v2/media", "iphone.mov", description: "Press conference on the flood");

        Assert.AreEqual(HttpStatusCode.Accepted, status, accepted.ToString());
        Assert.AreEqual("video", accepted.GetProperty("type").GetString());
        Assert.AreEqual(JsonValueKind.Null, accepted.GetProperty("url").ValueKind, "a ProcessingMediaAttachment has no url yet");
        StringAssert.EndsWith(accepted.GetProperty("preview_url").GetString(), "/small.png", "the neutral poster exists already");
        var id = accepted.GetProperty("id").GetString()!;

        var (_, done) = await Eventually.ValueAsync(() => Api.GetAsync($"/api/v1/media/{id}", _token), r => r.Status == HttpStatusCode.OK, "the media queue finishing the upload");

        var url = done.GetProperty("url").GetString()!;
        StringAssert.EndsWith(url, "/original.mp4");
        Assert.AreEqual("Press conference on the flood", done.GetProperty("description").GetString());
        var meta = done.GetProperty("meta");
        Assert.AreEqual("0:00:01.00", meta.GetProperty("length").GetString());
        Assert.AreEqual(1.0, meta.GetProperty("duration").GetDouble(), 0.01);
        Assert.AreEqual(10, meta.GetProperty("fps").GetInt32());
        Assert.AreEqual("96x64", meta.GetProperty("size").GetString());
        Assert.AreEqual((96, 64), (meta.GetProperty("width").GetInt32(), meta.GetProperty("height").GetInt32()));
        Assert.AreEqual(1.5, meta.GetProperty("aspect").GetDouble(), 1e-9);
        Assert.AreEqual(("aac", "22050 Hz", "mono"), (meta.GetProperty("audio_encode").GetString(), meta.GetProperty("audio_bitrate").GetString(), meta.GetProperty("audio_channels").GetString()));
        var originalMeta = meta.GetProperty("original");
        Assert.AreEqual("10/1", originalMeta.GetProperty("frame_rate").GetString());
        Assert.AreEqual(1.0, originalMeta.GetProperty("duration").GetDouble(), 0.01);
        Assert.AreEqual(original.Length * 8 / 1.0, originalMeta.GetProperty("bitrate").GetInt64(), 1000, "size over duration");
        Assert.AreEqual((96, 64), (originalMeta.GetProperty("width").GetInt32(), originalMeta.GetProperty("height").GetInt32()));
        Assert.AreEqual(1.5, meta.GetProperty("small").GetProperty("aspect").GetDouble(), 0.02, "the poster has the clip's shape");

        // The stored clip: no GPS, device or XMP, same length, same media data, and it reads as the upload did.
        using var file = await _instance.Http.GetAsync(url);
        Assert.AreEqual("video/mp4", file.Content.Headers.ContentType!.MediaType);
        Assert.AreEqual("bytes", file.Headers.AcceptRanges.Single());
        var stored = await file.Content.ReadAsByteArrayAsync();
        CollectionAssert.AreEqual(Array.Empty<string>(), AvFixtures.Survivors(stored).ToArray());
        Assert.AreEqual(original.Length, stored.Length);
        var mdat = AvFixtures.Box(original, "mdat")!.Value;
        CollectionAssert.AreEqual(original[mdat.Start..mdat.End], stored[mdat.Start..mdat.End]);
        Assert.AreEqual(IsoMediaParser.Parse(original).Info, IsoMediaParser.Parse(stored).Info);
        Assert.IsNull(await _instance.Services.GetRequiredService<MediaStore>().DownloadUploadAsync(id, CancellationToken.None), "the file as received is gone");

        // Players fetch ranges.
        using var range = new HttpRequestMessage(HttpMethod.Get, url);
        range.Headers.Range = new RangeHeaderValue(100, 199);
        using var part = await _instance.Http.SendAsync(range);
        Assert.AreEqual(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.AreEqual($"bytes 100-199/{stored.Length}", part.Content.Headers.ContentRange!.ToString());
        CollectionAssert.AreEqual(stored[100..200], await part.Content.ReadAsByteArrayAsync());
        using var beyond = new HttpRequestMessage(HttpMethod.Get, url);
        beyond.Headers.Range = new RangeHeaderValue(stored.Length + 10, null);
        Assert.AreEqual(HttpStatusCode.RequestedRangeNotSatisfiable, (await _instance.Http.SendAsync(beyond)).StatusCode);

        // Attached to a status, federated as Mastodon does (a Document with its media type and size; no icon: the poster is ours).
        var (postStatus, posted) = await Api.SendAsync(HttpMethod.Post, "/api/v1/statuses", _token, ApiTestClient.Json(new { status = "Live from the press room", media_ids = new[] { id } }));
        Assert.AreEqual(HttpStatusCode.OK, postStatus, posted.ToString());
        Assert.AreEqual(done.ToString(), posted.GetProperty("media_attachments")[0].ToString());
        var statusId = posted.GetProperty("id").GetString()!;
        var (_, note) = await Api.GetActivityAsync($"/users/alice/statuses/{statusId}");
        var document = note.GetProperty("attachment")[0];
        Assert.AreEqual("Document", document.GetProperty("type").GetString());
        Assert.AreEqual("video/mp4", document.GetProperty("mediaType").GetString());
        Assert.AreEqual(url, document.GetProperty("url").GetString());
        Assert.AreEqual("Press conference on the flood", document.GetProperty("name").GetString());
        Assert.AreEqual((96, 64), (document.GetProperty("width").GetInt32(), document.GetProperty("height").GetInt32()));
        Assert.IsFalse(document.TryGetProperty("icon", out _));

        // The public page plays it with controls, never by itself, with the description as its caption.
        using var pageResponse = await _instance.Http.GetAsync($"/@alice/{statusId}");
        var html = new HtmlParser().ParseDocument(await pageResponse.Content.ReadAsStringAsync());
        var video = html.QuerySelector(".h-entry .post-media figure video")!;
        Assert.IsNotNull(video);
        Assert.IsTrue(video.HasAttribute("controls"));
        Assert.IsFalse(video.HasAttribute("autoplay") || video.HasAttribute("loop") || video.HasAttribute("muted"));
        Assert.AreEqual("none", video.GetAttribute("preload"));
        Assert.AreEqual(accepted.GetProperty("preview_url").GetString(), video.GetAttribute("poster"));
        var source = video.QuerySelector("source")!;
        Assert.AreEqual((url, "video/mp4"), (source.GetAttribute("src"), source.GetAttribute("type")));
        Assert.AreEqual(url, video.QuerySelector("a")!.GetAttribute("href"), "a download link for browsers that cannot play it");
        Assert.AreEqual("Press conference on the flood (0:01)", video.ParentElement!.QuerySelector("figcaption")!.TextContent);
        StringAssert.Contains(pageResponse.Headers.GetValues("Content-Security-Policy").Single(), "media-src 'self'");
    }

    [TestMethod]
    public async Task Queued_media_answers_206_cannot_be_attached_and_a_failed_one_answers_422()
    {
        // A service whose media queue nobody listens to, so the upload stays queued until the test processes it.
        var services = _instance.Services;
        var store = services.GetRequiredService<MediaStore>();
        var held = new WorkQueue(services.GetRequiredService<StorageAccount>(), services.GetRequiredService<FederationQueues>() with { Media = _instance.Prefix + "-held" });
        var service = new MediaService(store, services.GetRequiredService<SnowflakeIds>(), held, TimeProvider.System);
        var processor = new QueuedMediaProcessor(store, held, NullLogger<QueuedMediaProcessor>.Instance);
        var queued = (await service.UploadAsync(_alice, AvFixtures.Read("clip.webm"), null, "A clip", null, deferred: true, CancellationToken.None)).Media!;

        var (pending, body) = await Api.GetAsync($"/api/v1/media/{queued.Id}", _token);
        var (attach, refusal) = await Api.SendAsync(HttpMethod.Post, "/api/v1/statuses", _token, ApiTestClient.Json(new { status = "Too early", media_ids = new[] { queued.Id } }));

        Assert.AreEqual(HttpStatusCode.PartialContent, pending);
        Assert.AreEqual(JsonValueKind.Null, body.GetProperty("url").ValueKind);
        Assert.AreEqual((HttpStatusCode)422, attach);
        Assert.AreEqual("Cannot attach files that have not finished processing. Try again in a moment!", refusal.GetProperty("error").GetString());

        await processor.ProcessAsync(new MediaMessage(_alice.Id, queued.Id), CancellationToken.None);

        var (ready, finished) = await Api.GetAsync($"/api/v1/media/{queued.Id}", _token);
        Assert.AreEqual(HttpStatusCode.OK, ready);
        StringAssert.EndsWith(finished.GetProperty("url").GetString(), "/original.webm");
        Assert.AreEqual(10, finished.GetProperty("meta").GetProperty("fps").GetInt32());
        CollectionAssert.AreEqual(Array.Empty<string>(), AvFixtures.Survivors(await _instance.Http.GetByteArrayAsync(finished.GetProperty("url").GetString())).ToArray());
        await processor.ProcessAsync(new MediaMessage(_alice.Id, queued.Id), CancellationToken.None);
        Assert.AreEqual(HttpStatusCode.OK, (await Api.GetAsync($"/api/v1/media/{queued.Id}", _token)).Status, "a repeated message changes nothing");

        var lost = (await service.UploadAsync(_alice, AvFixtures.Read("opus.ogg"), null, null, null, deferred: true, CancellationToken.None)).Media!;
        await store.DeleteUploadAsync(lost.Id, CancellationToken.None);
        await processor.ProcessAsync(new MediaMessage(_alice.Id, lost.Id), CancellationToken.None);

        var (failed, reason) = await Api.GetAsync($"/api/v1/media/{lost.Id}", _token);
        Assert.AreEqual((HttpStatusCode)422, failed);
        StringAssert.Contains(reason.GetProperty("error").GetString(), "lost before it was processed");
    }

    [TestMethod]
    public async Task Audio_uploaded_to_v1_is_processed_at_once_and_its_thumbnail_is_federated_as_icon()
    {
        var (status, media) = await Upload("/api/v1/media", "tags.mp3", description: "Announcement: the office is closed", thumbnail: "photo.webp");

        Assert.AreEqual(HttpStatusCode.OK, status, media.ToString());
        Assert.AreEqual("audio", media.GetProperty("type").GetString());
        var url = media.GetProperty("url").GetString()!;
        StringAssert.EndsWith(url, "/original.mp3");
        StringAssert.EndsWith(media.GetProperty("preview_url").GetString(), "/small.webp", "the client's thumbnail, re-encoded");
        var meta = media.GetProperty("meta");
        Assert.AreEqual("0:00:01.07", meta.GetProperty("length").GetString());
        Assert.AreEqual(("mp3", "22050 Hz", "mono"), (meta.GetProperty("audio_encode").GetString(), meta.GetProperty("audio_bitrate").GetString(), meta.GetProperty("audio_channels").GetString()));
        Assert.AreEqual(1.071, meta.GetProperty("original").GetProperty("duration").GetDouble(), 0.001);
        Assert.IsFalse(meta.TryGetProperty("fps", out _));
        Assert.IsFalse(meta.GetProperty("original").TryGetProperty("width", out _));
        var stored = await _instance.Http.GetByteArrayAsync(url);
        Assert.AreEqual(0xFF, stored[0], "no ID3 tag before the first frame");
        CollectionAssert.AreEqual(Array.Empty<string>(), AvFixtures.Survivors(stored).ToArray());

        var (_, posted) = await Api.SendAsync(HttpMethod.Post, "/api/v1/statuses", _token, ApiTestClient.Json(new { status = "Listen", media_ids = new[] { media.GetProperty("id").GetString() } }));
        var statusId = posted.GetProperty("id").GetString()!;
        var (_, note) = await Api.GetActivityAsync($"/users/alice/statuses/{statusId}");
        var document = note.GetProperty("attachment")[0];
        Assert.AreEqual(("Document", "audio/mpeg"), (document.GetProperty("type").GetString(), document.GetProperty("mediaType").GetString()));
        Assert.IsFalse(document.TryGetProperty("width", out _), "a sound has no size");
        var icon = document.GetProperty("icon");
        Assert.AreEqual(("Image", "image/webp", media.GetProperty("preview_url").GetString()), (icon.GetProperty("type").GetString(), icon.GetProperty("mediaType").GetString(), icon.GetProperty("url").GetString()));

        var html = new HtmlParser().ParseDocument(await _instance.Http.GetStringAsync($"/@alice/{statusId}"));
        var audio = html.QuerySelector(".h-entry .post-media figure audio")!;
        Assert.IsNotNull(audio);
        Assert.IsTrue(audio.HasAttribute("controls"));
        Assert.AreEqual("none", audio.GetAttribute("preload"));
        Assert.IsFalse(audio.HasAttribute("autoplay"));
        Assert.AreEqual("audio/mpeg", audio.QuerySelector("source")!.GetAttribute("type"));
        Assert.AreEqual("Announcement: the office is closed (0:01)", audio.ParentElement!.QuerySelector("figcaption")!.TextContent);
    }

    [TestMethod]
    public async Task A_new_thumbnail_replaces_the_poster_of_an_unattached_clip()
    {
        var (_, media) = await Upload("/api/v1/media", "voice.m4a");
        var oldPoster = media.GetProperty("preview_url").GetString()!;
        using var form = new MultipartFormDataContent { { ApiTestClient.File(MediaFixtures.Read("transparent.gif"), "image/gif"), "thumbnail", "poster.gif" }, { new StringContent("Voice memo"), "description" } };

        var (status, updated) = await Api.SendAsync(HttpMethod.Put, $"/api/v1/media/{media.GetProperty("id").GetString()}", _token, form);

        Assert.AreEqual(HttpStatusCode.OK, status, updated.ToString());
        Assert.AreEqual("Voice memo", updated.GetProperty("description").GetString());
        var newPoster = updated.GetProperty("preview_url").GetString()!;
        Assert.AreNotEqual(oldPoster, newPoster);
        StringAssert.EndsWith(newPoster, "/small.png");
        Assert.AreEqual(HttpStatusCode.OK, (await _instance.Http.GetAsync(newPoster)).StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, (await _instance.Http.GetAsync(oldPoster)).StatusCode);
        Assert.AreEqual(media.GetProperty("url").GetString(), updated.GetProperty("url").GetString());
    }

    [TestMethod]
    [DataRow("/api/v2/media", "truncated.mp4", "malformed or truncated")]
    [DataRow("/api/v2/media", "adpcm.wav", "not PCM")]
    [DataRow("/api/v1/media", "thumbnail-lies", "Thumbnail content type is not supported")]
    public async Task Refused_clips_and_thumbnails_answer_422_at_once(string path, string what, string reason)
    {
        var (data, thumbnail) = what switch
        {
            "truncated.mp4" => (AvFixtures.Read("portrait.mp4")[..3000], null),
            "adpcm.wav" => (Adpcm(), null),
            _ => (AvFixtures.Read("opus.ogg"), MediaFixtures.Read("lies.png")),
        };
        var content = new MultipartFormDataContent { { ApiTestClient.File(data, "video/mp4"), "file", what } };
        if (thumbnail is not null)
        {
            content.Add(ApiTestClient.File(thumbnail, "image/png"), "thumbnail", "thumb.png");
        }

        var (status, body) = await Api.SendAsync(HttpMethod.Post, path, _token, content);

        Assert.AreEqual((HttpStatusCode)422, status);
        StringAssert.Contains(body.GetProperty("error").GetString(), reason);
    }

    private static byte[] Adpcm()
    {
        var wav = AvFixtures.Read("info.wav");
        wav[wav.AsSpan().IndexOf("fmt "u8) + 8] = 2;
        return wav;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Upload(string path, string fixture, string? description = null, string? thumbnail = null)
    {
        // What a client claims is ignored: the type comes from the bytes.
        var content = new MultipartFormDataContent { { ApiTestClient.File(AvFixtures.Read(fixture), "application/octet-stream"), "file", fixture } };
        if (description is not null)
        {
            content.Add(new StringContent(description), "description");
        }

        if (thumbnail is not null)
        {
            content.Add(ApiTestClient.File(MediaFixtures.Read(thumbnail), "image/jpeg"), "thumbnail", thumbnail);
        }

        return await Api.SendAsync(HttpMethod.Post, path, _token, content);
    }
}
