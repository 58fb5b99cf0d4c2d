using ServerlessFedi.Configuration;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Media;
using ServerlessFedi.Statuses;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>
/// Video and audio MediaAttachments from fixed records against their golden files (docs: entities/MediaAttachment, its
/// video and audio examples; methods/media#v2 for the null <c>url</c> while processing). Images are pinned by
/// <see cref="EntityGoldenTests"/>.
/// </summary>
[TestClass]
public sealed class MediaAttachmentGoldenTests
{
    private static readonly MediaAttachmentMapper Mapper = new(new InstanceUrls(new FediOptions { BaseUrl = "https://social.example.gov" }));

    [TestMethod]
    public void Video_being_processed_has_no_url_yet() =>
        GoldenJson.Match("entity-media-video-queued", Mapper.ToMediaAttachment(Video with { Processing = MediaProcessingState.Queued, Bitrate = 1_337_000 }), Wire.MediaAttachment);

    [TestMethod]
    public void Processed_video_with_sound_and_focus() => GoldenJson.Match("entity-media-video", Mapper.ToMediaAttachment(Video), Wire.MediaAttachment);

    [TestMethod]
    public void Silent_video_has_no_audio_fields() =>
        GoldenJson.Match("entity-media-video-silent", Mapper.ToMediaAttachment(Video with { AudioCodec = null, AudioSampleRate = null, AudioChannels = null, FocusX = null, FocusY = null }), Wire.MediaAttachment);

    [TestMethod]
    public void Processed_audio() => GoldenJson.Match("entity-media-audio", Mapper.ToMediaAttachment(Audio), Wire.MediaAttachment);

    [TestMethod]
    public void Remote_video_previews_its_icon() =>
        GoldenJson.Match("entity-media-remote-video", Mapper.ToMediaAttachment("110000000000000030", 2, new RemoteAttachment
        {
            Type = "video",
            Url = "https://files.remote.example/media/3.webm",
            MediaType = "video/webm",
            PreviewUrl = "https://files.remote.example/media/3-poster.jpg",
            Description = "A walk by the river",
            Width = 1920,
            Height = 1080,
        }), Wire.MediaAttachment);

    private static MediaAttachment Video { get; } = new()
    {
        Id = "110000000000000040",
        AccountId = "110000000000000001",
        Type = "video",
        OriginalBlob = "110000000000000040/0011223344556677/original.mp4",
        OriginalContentType = "video/mp4",
        OriginalWidth = 1280,
        OriginalHeight = 720,
        SmallBlob = "110000000000000040/0011223344556677/small.jpg",
        SmallContentType = "image/jpeg",
        SmallWidth = 640,
        SmallHeight = 360,
        Description = "The minister's statement",
        FocusX = 0.25,
        FocusY = -0.5,
        Blurhash = "LEHV6nWB2yk8pyo0adR*.7kCMdnj",
        CreatedAt = new DateTimeOffset(2026, 3, 2, 9, 15, 30, 250, TimeSpan.Zero),
        Duration = 88.654321,
        FrameRate = "30000/1001",
        Bitrate = 1_234_567,
        AudioCodec = "aac",
        AudioSampleRate = 44100,
        AudioChannels = 2,
        CustomThumbnail = true,
    };

    private static MediaAttachment Audio { get; } = new()
    {
        Id = "110000000000000041",
        AccountId = "110000000000000001",
        Type = "audio",
        OriginalBlob = "110000000000000041/8899aabbccddeeff/original.ogg",
        OriginalContentType = "audio/ogg",
        SmallBlob = "110000000000000041/8899aabbccddeeff/small.png",
        SmallContentType = "image/png",
        SmallWidth = 400,
        SmallHeight = 400,
        Description = "Podcast, episode 3",
        Blurhash = "L00000fQfQfQfQfQfQfQfQfQfQfQ",
        CreatedAt = new DateTimeOffset(2026, 3, 2, 9, 20, 0, TimeSpan.Zero),
        Duration = 3725.5,
        Bitrate = 96_000,
        AudioCodec = "opus",
        AudioSampleRate = 48000,
        AudioChannels = 1,
    };
}
