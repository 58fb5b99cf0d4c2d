using System.Text.Json.Serialization;

namespace ServerlessFedi.Functions.Standalone;

[JsonSerializable(typeof(IReadOnlyList<FunctionDescriptor>))]
[JsonSourceGenerationOptions(ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true)]
internal sealed partial class StandaloneJsonContext : JsonSerializerContext;
