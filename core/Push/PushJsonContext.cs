using System.Text.Json.Serialization;

namespace ServerlessFedi.Push;

/// <summary>The push payload's wire format: Mastodon's snake_case names.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PushNotificationPayload))]
public sealed partial class PushJsonContext : JsonSerializerContext;
