using System.Text.Json.Serialization;

namespace ServerlessFedi.Statuses;

[JsonSerializable(typeof(List<StatusMention>))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
