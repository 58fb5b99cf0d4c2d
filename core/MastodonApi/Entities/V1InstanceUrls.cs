using System.Text.Json.Serialization;

namespace ServerlessFedi.MastodonApi.Entities;

/// <summary><c>urls</c> of V1_Instance; empty (no <c>streaming_api</c>) while this server has no streaming API (docs/STREAMING.md).</summary>
public sealed record V1InstanceUrls([property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? StreamingApi);
