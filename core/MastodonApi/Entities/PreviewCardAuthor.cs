namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>PreviewCardAuthor (docs: entities/PreviewCardAuthor, Mastodon 4.3): the page's author by name and link; <c>account</c> the account its <c>fediverse:creator</c> credits (Cards.CardCreators), else null.</summary>
public sealed record PreviewCardAuthor(string Name, string Url, Account? Account);
