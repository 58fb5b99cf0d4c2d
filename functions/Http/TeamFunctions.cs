using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.MastodonApi;

namespace ServerlessFedi.Functions.Http;

/// <summary>The agency managers' team and audit routes (this instance's extension, docs/TEAM.md).</summary>
public sealed class TeamFunctions(TeamApiHandler team)
{
    [Function("TeamStaffList")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/serverlessfedi/team/staff")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await team.ListStaffAsync(req, cancellationToken);

    [Function("TeamStaffAdd")]
    public async Task<IActionResult> Add(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/serverlessfedi/team/staff")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await team.AddStaffAsync(req, cancellationToken);

    [Function("TeamStaffRemove")]
    public async Task<IActionResult> Remove(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/serverlessfedi/team/staff/{name}")] HttpRequest req,
        string name,
        CancellationToken cancellationToken) =>
        await team.RemoveStaffAsync(req, name, cancellationToken);

    [Function("TeamAudit")]
    public async Task<IActionResult> Audit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/serverlessfedi/team/audit")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await team.AuditAsync(req, cancellationToken);
}
