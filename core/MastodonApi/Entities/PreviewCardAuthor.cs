namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>PreviewCardAuthor (docs: entities/PreviewCardAuthor, Mastodon 4.3): the page's author by name and link; <c>account</c> is null (no <c>fediverse:creator</c> lookup here).</summary>
public sealed record PreviewCardAuthor(string Name, string Url, Account? Account);
