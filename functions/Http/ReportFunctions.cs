using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.MastodonApi;

namespace ServerlessFedi.Functions.Http;

/// <summary>Reports filed from apps.</summary>
public sealed class ReportFunctions(ReportsApiHandler reports)
{
    [Function("ReportsCreate")]
    public async Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/reports")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await reports.CreateAsync(req, cancellationToken);
}
