namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>Role (docs: entities/Role); every account here has Mastodon's default role (id <c>-99</c>, no permissions).</summary>
public sealed record Role(string Id, string Name, string Color, string Permissions, bool Highlighted)
{
    public static Role Everyone { get; } = new("-99", "", "", "0", false);
}
