using System.Text.Json;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// Remote notes' attachments and custom emoji in the shapes Mastodon, GoToSocial, Misskey and Pixelfed emit, and the URLs
/// that must never reach a client.
/// </summary>
[TestClass]
public sealed class RemoteAttachmentParserTests
{
    private static JsonElement Json(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    [TestMethod]
    public void Mastodon_document_keeps_alt_text_blurhash_size_and_focal_point()
    {
        var note = Json("""
            {"attachment":[{"type":"Document","mediaType":"image/jpeg","url":"https://files.mastodon.example/a.jpg",
              "name":"A map of the district","blurhash":"UBL_:rOpGG-oBUNG,qRj2so|=eE1w^n4S5NH","focalPoint":[-0.25,0.5],"width":1200,"height":800}]}
            """);
        var a = RemoteAttachmentParser.Attachments(note, allowHttp: false).Single();
        Assert.AreEqual("image", a.Type);
        Assert.AreEqual("https://files.mastodon.example/a.jpg", a.Url);
        Assert.AreEqual("A map of the district", a.Description);
        Assert.AreEqual("UBL_:rOpGG-oBUNG,qRj2so|=eE1w^n4S5NH", a.Blurhash);
        Assert.AreEqual(1200, a.Width);
        Assert.AreEqual(800, a.Height);
        Assert.AreEqual(-0.25, a.FocusX);
        Assert.AreEqual(0.5, a.FocusY);
    }

    [TestMethod]
    public void Link_objects_and_arrays_as_url_and_types_from_media_type_or_object_type()
    {
        var note = Json("""
            {"attachment":[
              {"type":"Document","url":[{"type":"Link","href":"https://pix.example/v.mp4","mediaType":"video/mp4"}]},
              {"type":"Audio","url":"https://misskey.example/files/x"},
              {"type":"Document","mediaType":"application/pdf","url":"https://misskey.example/files/y.pdf","name":null},
              {"type":"PropertyValue","name":"Website","value":"https://example.org"}
            ]}
            """);
        var list = RemoteAttachmentParser.Attachments(note, allowHttp: false);
        CollectionAssert.AreEqual(new[] { "video", "audio", "unknown" }, list.Select(a => a.Type).ToArray());
        Assert.AreEqual("https://pix.example/v.mp4", list[0].Url);
        Assert.AreEqual("video/mp4", list[0].MediaType);
        Assert.IsNull(list[2].Description);
        Assert.IsNull(list[0].Width, "no size given, none invented");
    }

    [TestMethod]
    public void A_video_or_audio_thumbnail_comes_from_the_icon_when_its_url_is_safe()
    {
        var note = Json("""
            {"attachment":[
              {"type":"Document","mediaType":"video/mp4","url":"https://files.example/v.mp4","icon":{"type":"Image","mediaType":"image/png","url":"https://files.example/v.png"}},
              {"type":"Audio","mediaType":"audio/ogg","url":"https://files.example/a.ogg","icon":"https://files.example/a.jpg"},
              {"type":"Video","mediaType":"video/webm","url":"https://files.example/w.webm","icon":{"type":"Image","url":"javascript:alert(1)"}}
            ]}
            """);

        var list = RemoteAttachmentParser.Attachments(note, allowHttp: false);

        CollectionAssert.AreEqual(new[] { "video", "audio", "video" }, list.Select(a => a.Type).ToArray());
        CollectionAssert.AreEqual(new[] { "https://files.example/v.png", "https://files.example/a.jpg", null }, list.Select(a => a.PreviewUrl).ToArray());
    }

    [TestMethod]
    public void Unsafe_urls_and_bad_values_are_dropped()
    {
        var note = Json("""
            {"attachment":[
              {"type":"Image","url":"javascript:alert(1)"},
              {"type":"Image","url":"data:image/png;base64,AAAA"},
              {"type":"Image","url":"http://insecure.example/a.png"},
              {"type":"Image","url":"https://user:pass@files.example/a.png"},
              {"type":"Image","url":"https://files.example/ok.png","focalPoint":[3,0],"width":-5,"blurhash":"<script>"}
            ]}
            """);
        var a = RemoteAttachmentParser.Attachments(note, allowHttp: false).Single();
        Assert.AreEqual("https://files.example/ok.png", a.Url);
        Assert.IsNull(a.FocusX);
        Assert.IsNull(a.Width);
        Assert.IsNull(a.Blurhash);
        Assert.AreEqual(2, RemoteAttachmentParser.Attachments(note, allowHttp: true).Count, "http only with AllowPrivateNetworks");
    }

    [TestMethod]
    public void Emoji_tags_become_emojis_with_safe_shortcodes_and_urls()
    {
        var note = Json("""
            {"tag":[
              {"type":"Emoji","name":":blobcat:","icon":{"type":"Image","mediaType":"image/png","url":"https://misskey.example/emoji/blobcat.png"}},
              {"type":"Emoji","name":":blobcat:","icon":{"type":"Image","url":"https://misskey.example/emoji/other.png"}},
              {"type":"Emoji","name":":bad code:","icon":{"url":"https://misskey.example/emoji/x.png"}},
              {"type":"Emoji","name":":evil:","icon":{"url":"javascript:alert(1)"}},
              {"type":"Hashtag","name":"#news"}
            ]}
            """);
        var emoji = RemoteAttachmentParser.Emojis(note, allowHttp: false).Single();
        Assert.AreEqual("blobcat", emoji.Shortcode);
        Assert.AreEqual("https://misskey.example/emoji/blobcat.png", emoji.Url);
    }
}
