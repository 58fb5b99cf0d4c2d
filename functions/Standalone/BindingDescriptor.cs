using System.Text.Json.Serialization;

namespace ServerlessFedi.Functions.Standalone;

/// <summary>A binding of a function as <c>functions.metadata</c> records it (trigger, input or output).</summary>
public sealed record BindingDescriptor
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("type")]
    public string Type { get; init; } = "";

    [JsonPropertyName("direction")]
    public string Direction { get; init; } = "";

    [JsonPropertyName("route")]
    public string? Route { get; init; }

    [JsonPropertyName("methods")]
    public IReadOnlyList<string>? Methods { get; init; }

    [JsonPropertyName("authLevel")]
    public string? AuthLevel { get; init; }

    [JsonPropertyName("queueName")]
    public string? QueueName { get; init; }

    [JsonPropertyName("connection")]
    public string? Connection { get; init; }

    [JsonPropertyName("schedule")]
    public string? Schedule { get; init; }

    [JsonPropertyName("runOnStartup")]
    public bool RunOnStartup { get; init; }

    [JsonPropertyName("dataType")]
    public string? DataType { get; init; }
}
