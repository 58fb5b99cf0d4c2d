using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.MastodonApi;
using ServerlessFedi.Media;

namespace ServerlessFedi.Functions.Http;

/// <summary>Media: the Mastodon client API for uploads, the app's own route for the files and the proxy for remote ones.</summary>
public sealed class MediaFunctions(MediaApiHandler api, MediaFileHandler files, RemoteMediaHandler remote)
{
    [Function("MediaCreateV1")]
    public async Task<IActionResult> CreateV1(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/media")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await api.CreateAsync(req, deferred: false, cancellationToken);

    [Function("MediaCreateV2")]
    public async Task<IActionResult> CreateV2(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v2/media")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await api.CreateAsync(req, deferred: true, cancellationToken);

    [Function("MediaGet")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/media/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await api.GetAsync(req, id, cancellationToken);

    [Function("MediaUpdate")]
    public async Task<IActionResult> Update(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/v1/media/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await api.UpdateAsync(req, id, cancellationToken);

    [Function("MediaDelete")]
    public async Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/v1/media/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await api.DeleteAsync(req, id, cancellationToken);

    [Function("MediaFile")]
    public async Task<IActionResult> File(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "media/{*path}")] HttpRequest req,
        string path,
        CancellationToken cancellationToken) =>
        await files.GetAsync(req, path, cancellationToken);

    [Function("RemoteMediaFile")]
    public async Task<IActionResult> RemoteFile(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "media-proxy/{owner}/{id}/{hash}")] HttpRequest req,
        string owner,
        string id,
        string hash,
        CancellationToken cancellationToken) =>
        await remote.GetAsync(req, owner, id, hash, cancellationToken);
}
