using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.Http;
using ServerlessFedi.Web;

namespace ServerlessFedi.Functions.Http;

/// <summary>
/// The public web pages and feeds, and the health probe. Routes are tried in function-name order: <c>ProfileFeedAtom</c>
/// and <c>ProfileFeedRss</c> (<c>@{username}.atom</c>, <c>.rss</c>) sort before <c>ProfilePage</c> (<c>@{username}</c>),
/// which would otherwise take <c>alice.rss</c> for a username; <c>ProfileRemoteFollow</c> sorts before <c>StatusPage</c>.
/// </summary>
public sealed class WebFunctions(WebPages pages, WebFeeds feeds)
{
    /// <summary>The front page. The host refuses an empty route (it falls back to the function name), so an optional empty parameter stands for "/".</summary>
    [Function("FrontPage")]
    public async Task<IActionResult> FrontPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "{ignored:maxlength(0)?}")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await pages.FrontAsync(req, cancellationToken);

    [Function("AboutPage")]
    public async Task<IActionResult> AboutPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "about")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await pages.AboutAsync(req, cancellationToken);

    [Function("ImprintPage")]
    public async Task<IActionResult> ImprintPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "imprint")] HttpRequest req) =>
        await pages.ImprintAsync(req);

    [Function("PrivacyPage")]
    public async Task<IActionResult> PrivacyPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "privacy")] HttpRequest req) =>
        await pages.PrivacyAsync(req);

    [Function("ProfileFeedAtom")]
    public async Task<IActionResult> ProfileFeedAtom(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "@{username}.atom")] HttpRequest req,
        string username,
        CancellationToken cancellationToken) =>
        await feeds.AtomAsync(username, req, cancellationToken);

    [Function("ProfileFeedRss")]
    public async Task<IActionResult> ProfileFeedRss(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "@{username}.rss")] HttpRequest req,
        string username,
        CancellationToken cancellationToken) =>
        await feeds.RssAsync(username, req, cancellationToken);

    [Function("ProfilePage")]
    public async Task<IActionResult> ProfilePage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "@{username}")] HttpRequest req,
        string username,
        CancellationToken cancellationToken) =>
        await pages.ProfileAsync(username, req, cancellationToken);

    /// <summary>GET shows the form; only its POST redirects to the citizen's server.</summary>
    [Function("ProfileRemoteFollow")]
    public async Task<IActionResult> ProfileRemoteFollow(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "@{username}/remote_follow")] HttpRequest req,
        string username,
        CancellationToken cancellationToken) =>
        await pages.RemoteFollowAsync(username, req, cancellationToken);

    [Function("StatusPage")]
    public async Task<IActionResult> StatusPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "@{username}/{id}")] HttpRequest req,
        string username,
        string id,
        CancellationToken cancellationToken) =>
        await pages.StatusAsync(username, id, req, cancellationToken);

    /// <summary>The pages' one stylesheet, from our own origin; its URL carries a content hash, so it may be cached for a day.</summary>
    [Function("WebStylesheet")]
    public IActionResult WebStylesheet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "assets/web.css")] HttpRequest req) =>
        WebResponses.Cached(req, WireResult.Bytes(StatusCodes.Status200OK, Web.WebStylesheet.Bytes, "text/css; charset=utf-8"), WebResponses.ContentSecurityPolicy, 86_400);

    /// <summary>Liveness for load balancers: answers without touching storage, so a storage outage does not recycle instances.</summary>
    [Function("Health")]
    public IActionResult Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest req) =>
        WireResult.Text(StatusCodes.Status200OK, "OK").WithHeader("Cache-Control", "no-store");
}
