using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.MastodonApi;

namespace ServerlessFedi.Functions.Http;

/// <summary>Polls (docs: methods/polls).</summary>
public sealed class PollFunctions(PollApiHandler api)
{
    [Function("PollsGet")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/polls/{id:regex(^\\d+$)}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await api.GetAsync(req, id, cancellationToken);

    [Function("PollsVote")]
    public async Task<IActionResult> Vote(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/polls/{id:regex(^\\d+$)}/votes")] HttpRequest req,
        string id,
        CancellationToken cancellationToken) =>
        await api.VoteAsync(req, id, cancellationToken);
}
