using System.Text.Json.Serialization;

namespace ServerlessFedi.Media;

/// <summary>The attachments a status row carries (a small JSON array; at most four entries).</summary>
[JsonSerializable(typeof(List<MediaAttachment>))]
internal sealed partial class MediaJsonContext : JsonSerializerContext;
