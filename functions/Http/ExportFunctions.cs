using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.MastodonApi;

namespace ServerlessFedi.Functions.Http;

/// <summary>The account's own data export (GDPR Art. 20): a Mastodon-compatible archive with the CSV exports.</summary>
public sealed class ExportFunctions(ExportApiHandler api)
{
    [Function("AccountsExport")]
    public async Task<IActionResult> Archive(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/accounts/export")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await api.ArchiveAsync(req, cancellationToken);
}
