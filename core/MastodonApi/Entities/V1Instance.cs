namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>V1_Instance (docs: entities/V1_Instance), the <c>/api/v1/instance</c> document.</summary>
public sealed record V1Instance
{
    public required string Uri { get; init; }

    public required string Title { get; init; }

    public required string ShortDescription { get; init; }

    public required string Description { get; init; }

    public required string Email { get; init; }

    public required string Version { get; init; }

    public required V1InstanceUrls Urls { get; init; }

    public required V1InstanceStats Stats { get; init; }

    public required string Thumbnail { get; init; }

    public IReadOnlyList<string> Languages { get; init; } = [];

    public bool Registrations { get; init; }

    public bool ApprovalRequired { get; init; }

    public bool InvitesEnabled { get; init; }

    public required InstanceConfiguration Configuration { get; init; }

    public Account? ContactAccount { get; init; }

    public IReadOnlyList<Rule> Rules { get; init; } = [];
}
