using System.Text.Json.Serialization;

namespace ServerlessFedi.Statuses;

[JsonSerializable(typeof(List<StatusMention>))]
[JsonSerializable(typeof(List<RemoteAttachment>))]
[JsonSerializable(typeof(List<RemoteEmoji>))]
[JsonSerializable(typeof(ServerlessFedi.Polls.Poll))]
[JsonSerializable(typeof(ServerlessFedi.Polls.PollRequest))]
[JsonSerializable(typeof(ServerlessFedi.Quotes.StatusQuote))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
