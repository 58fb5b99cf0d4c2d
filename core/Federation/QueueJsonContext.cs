using System.Text.Json.Serialization;

namespace ServerlessFedi.Federation;

/// <summary>Queue message wire format (camelCase JSON).</summary>
[JsonSerializable(typeof(InboxMessage))]
[JsonSerializable(typeof(DeliveryMessage))]
[JsonSerializable(typeof(FanoutMessage))]
[JsonSerializable(typeof(PostGuardMessage))]
[JsonSerializable(typeof(FavouriteMessage))]
[JsonSerializable(typeof(ServerlessFedi.Team.PendingAudit))]
[JsonSerializable(typeof(AccountDeletionMessage))]
[JsonSerializable(typeof(ServerlessFedi.Media.MediaMessage))]
[JsonSerializable(typeof(ServerlessFedi.Push.PushMessage))]
[JsonSerializable(typeof(ServerlessFedi.Migration.MoveFollowersMessage))]
[JsonSerializable(typeof(ServerlessFedi.Moderation.SeveranceMessage))]
[JsonSerializable(typeof(ServerlessFedi.Cards.CardMessage))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
public sealed partial class QueueJsonContext : JsonSerializerContext;
