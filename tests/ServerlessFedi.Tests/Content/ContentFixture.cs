using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using ServerlessFedi.Configuration;
using ServerlessFedi.Content;

namespace ServerlessFedi.Tests.Content;

/// <summary>An instance at social.example.gov with handles @example.gov, and the accounts the mention resolver knows.</summary>
internal static class ContentFixture
{
    public const string Base = "https://social.example.gov";

    public static readonly InstanceUrls Urls = new(new FediOptions { BaseUrl = Base, AccountDomain = "example.gov" });

    public static readonly MentionTarget Alice = new("alice", null, $"{Base}/users/alice", $"{Base}/@alice");

    public static readonly MentionTarget LocalBob = new("bob", null, $"{Base}/users/bob", $"{Base}/@bob");

    public static readonly MentionTarget RemoteBob = new("bob", "remote.example", "https://remote.example/users/bob", "https://remote.example/@bob");

    public static readonly MentionTarget RemoteCarol = new("Carol", "remote.example", "https://remote.example/users/carol", "https://remote.example/@Carol");

    public static MentionTarget? Resolve(string username, string? domain) => (username.ToLowerInvariant(), domain?.ToLowerInvariant()) switch
    {
        ("alice", null) => Alice,
        ("bob", null) => LocalBob,
        ("bob", "remote.example") => RemoteBob,
        ("carol", "remote.example") => RemoteCarol,
        _ => null,
    };

    public static FormattedStatus Format(string text) => new StatusFormatter(Urls).Format(text, Resolve);

    public static string Html(string text) => Format(text).Html;

    public static IElement ParseBody(string html) => new HtmlParser().ParseDocument($"<!DOCTYPE html><html><body>{html}</body></html>").Body!;

    /// <summary>The link Mastodon writes for a URL, for expectations.</summary>
    public static string UrlLink(string href, string prefix, string visible, string invisible, bool ellipsis) =>
        $"<a href=\"{href}\" target=\"_blank\" rel=\"nofollow noopener\" translate=\"no\"><span class=\"invisible\">{prefix}</span>"
        + $"<span class=\"{(ellipsis ? "ellipsis" : "")}\">{visible}</span><span class=\"invisible\">{invisible}</span></a>";
}
