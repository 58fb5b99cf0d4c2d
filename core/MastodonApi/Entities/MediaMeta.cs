using System.Text.Json.Serialization;

namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>
/// A MediaAttachment's <c>meta</c> (docs: entities/MediaAttachment#meta): the sizes of the <c>original</c> and the
/// <c>small</c> preview when known, and the focal point once one is set; each subtree is left out when unknown.
/// </summary>
public sealed record MediaMeta
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MediaSize? Original { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MediaSize? Small { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MediaFocus? Focus { get; init; }
}
