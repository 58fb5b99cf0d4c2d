namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>Tag (docs: entities/Tag). No usage history is kept here, so <c>history</c> is empty; <c>following</c> is the viewer's.</summary>
public sealed record Tag(string Name, string Url, IReadOnlyList<TagHistory> History, bool Following);
