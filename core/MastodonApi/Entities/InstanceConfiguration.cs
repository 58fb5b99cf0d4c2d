using System.Text.Json.Serialization;

namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>
/// <c>configuration</c> of the Instance and of V1_Instance: the limits the server enforces. <c>urls</c>,
/// <c>translation</c> and <c>vapid</c> exist in the v2 document only.
/// </summary>
public sealed record InstanceConfiguration
{
    public required ConfigurationAccounts Accounts { get; init; }

    public required ConfigurationStatuses Statuses { get; init; }

    public required ConfigurationMediaAttachments MediaAttachments { get; init; }

    public required ConfigurationPolls Polls { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ConfigurationUrls? Urls { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ConfigurationTranslation? Translation { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ConfigurationVapid? Vapid { get; init; }
}
