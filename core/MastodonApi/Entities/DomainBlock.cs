namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>DomainBlock (docs: entities/DomainBlock): a server this instance limits, as <c>/api/v1/instance/domain_blocks</c> lists it.</summary>
public sealed record DomainBlock(string Domain, string Digest, string Severity)
{
    /// <summary>The operator's public comment; left out when there is none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Comment { get; init; }
}
