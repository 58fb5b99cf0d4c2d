using System.Text.Json.Serialization;

namespace ServerlessFedi.Statuses;

[JsonSerializable(typeof(List<StatusMention>))]
[JsonSerializable(typeof(List<RemoteAttachment>))]
[JsonSerializable(typeof(List<RemoteEmoji>))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
