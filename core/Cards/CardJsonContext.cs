using System.Text.Json.Serialization;

namespace ServerlessFedi.Cards;

/// <summary>A stored card (status rows and card rows) as JSON (camelCase).</summary>
[JsonSerializable(typeof(LinkCard))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class CardJsonContext : JsonSerializerContext;
