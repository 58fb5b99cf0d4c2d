using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessFedi.Functions.Standalone;

/// <summary>One entry of <c>functions.metadata</c>, the file the Functions SDK writes at build time and the host reads.</summary>
public sealed record FunctionDescriptor
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("scriptFile")]
    public string? ScriptFile { get; init; }

    /// <summary><c>Namespace.Class.Method</c>.</summary>
    [JsonPropertyName("entryPoint")]
    public required string EntryPoint { get; init; }

    [JsonPropertyName("bindings")]
    public IReadOnlyList<BindingDescriptor> Bindings { get; init; } = [];

    [JsonIgnore]
    public BindingDescriptor? Trigger => Bindings.FirstOrDefault(b => b.Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase));

    public static IReadOnlyList<FunctionDescriptor> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"functions.metadata not found at {path}. It is written by the Azure Functions SDK when the functions project builds.", path);
        }

        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize(stream, StandaloneJsonContext.Default.IReadOnlyListFunctionDescriptor)
            ?? throw new InvalidDataException($"{path} is empty.");
    }
}
