using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.NodeInfo;
using ServerlessFedi.WebFinger;

namespace ServerlessFedi.Functions.Http;

/// <summary>WebFinger, host-meta and NodeInfo: how other servers find this instance and its accounts.</summary>
public sealed class DiscoveryFunctions(WebFingerHandler webFinger, HostMetaHandler hostMeta, NodeInfoHandler nodeInfo)
{
    [Function("WebFinger")]
    public async Task<IActionResult> WebFinger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ".well-known/webfinger")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await webFinger.HandleAsync(req, cancellationToken);

    [Function("HostMeta")]
    public IActionResult HostMeta(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ".well-known/host-meta")] HttpRequest req) =>
        hostMeta.Handle(req, json: false);

    [Function("HostMetaJson")]
    public IActionResult HostMetaJson(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ".well-known/host-meta.json")] HttpRequest req) =>
        hostMeta.Handle(req, json: true);

    [Function("NodeInfoDiscovery")]
    public IActionResult NodeInfoDiscovery(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ".well-known/nodeinfo")] HttpRequest req) =>
        nodeInfo.Discovery();

    [Function("NodeInfoDocument")]
    public async Task<IActionResult> NodeInfoDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "nodeinfo/{version}")] HttpRequest req,
        string version,
        CancellationToken cancellationToken) =>
        await nodeInfo.DocumentAsync(version, cancellationToken);
}
