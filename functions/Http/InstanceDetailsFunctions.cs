using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.MastodonApi;

namespace ServerlessFedi.Functions.Http;

/// <summary>The smaller instance documents under <c>/api/v1/instance/</c>.</summary>
public sealed class InstanceDetailsFunctions(InstanceDetailsApiHandler details)
{
    [Function("InstancePeers")]
    public async Task<IActionResult> Peers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/instance/peers")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await details.PeersAsync(req, cancellationToken);

    [Function("InstanceActivity")]
    public async Task<IActionResult> Activity(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/instance/activity")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await details.ActivityAsync(req, cancellationToken);

    [Function("InstanceDomainBlocks")]
    public async Task<IActionResult> DomainBlocks(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/instance/domain_blocks")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await details.DomainBlocksAsync(req, cancellationToken);

    [Function("InstanceRules")]
    public IActionResult Rules(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/instance/rules")] HttpRequest req) =>
        details.Rules(req);

    [Function("InstanceExtendedDescription")]
    public IActionResult ExtendedDescription(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/instance/extended_description")] HttpRequest req) =>
        details.ExtendedDescription(req);

    [Function("InstancePrivacyPolicy")]
    public IActionResult PrivacyPolicy(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/instance/privacy_policy")] HttpRequest req) =>
        details.PrivacyPolicy(req);

    [Function("InstanceLanguages")]
    public IActionResult Languages(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/instance/languages")] HttpRequest req) =>
        details.Languages(req);

    [Function("InstanceTranslationLanguages")]
    public IActionResult TranslationLanguages(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/instance/translation_languages")] HttpRequest req) =>
        details.TranslationLanguages(req);
}
