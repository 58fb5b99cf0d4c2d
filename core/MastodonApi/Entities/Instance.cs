namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>Instance (docs: entities/Instance), the <c>/api/v2/instance</c> document.</summary>
public sealed record Instance
{
    public required string Domain { get; init; }

    public required string Title { get; init; }

    public required string Version { get; init; }

    public string SourceUrl { get; init; } = "";

    public required string Description { get; init; }

    public required InstanceUsage Usage { get; init; }

    public required InstanceThumbnail Thumbnail { get; init; }

    public IReadOnlyList<InstanceIcon> Icon { get; init; } = [];

    public IReadOnlyList<string> Languages { get; init; } = [];

    public required InstanceConfiguration Configuration { get; init; }

    public required InstanceRegistrations Registrations { get; init; }

    public required InstanceApiVersions ApiVersions { get; init; }

    public required InstanceContact Contact { get; init; }

    public IReadOnlyList<Rule> Rules { get; init; } = [];
}
