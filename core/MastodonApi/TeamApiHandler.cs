using Microsoft.AspNetCore.Http;
using ServerlessFedi.Errors;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Entities;
using ServerlessFedi.Team;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// The agency's managers' view of its team (this instance's extension under <c>/api/serverlessfedi/team</c>, docs/TEAM.md):
/// its staff members (list, add a poster, remove a poster) and its audit trail. Allowed to the agency's own login and to
/// its staff members with the <c>manager</c> role (their row is read again on every call, so a demoted or removed
/// manager loses access at once); a poster gets 403. A token only ever names its own agency, so no agency sees another's
/// team or audit. Storage: auth + 1 point read (the manager's row) + the store's.
/// </summary>
public sealed class TeamApiHandler(ApiEndpoint api, StaffStore staff, TeamService team, AuditStore audit)
{
    /// <summary>Audit rows answered per call, newest first.</summary>
    public const int MaxAuditRows = 200;

    public Task<WireResult> ListStaffAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:accounts"), async r =>
            await ManagerAsync(r, cancellationToken) is { } refusal
                ? refusal
                : Ok([.. (await staff.ListAsync(r.Account.Id, cancellationToken)).Select(ToEntity)], Wire.IReadOnlyListTeamMember), cancellationToken);

    /// <summary>Adds a poster (<c>name</c>, <c>password</c>, optional <c>email</c>); managers are made by the operator only.</summary>
    public Task<WireResult> AddStaffAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:accounts").WithParameters(), async r =>
        {
            if (await ManagerAsync(r, cancellationToken) is { } refusal)
            {
                return refusal;
            }

            var added = await staff.AddAsync(r.Account, r.Parameters.Get("name") ?? "", r.Parameters.Get("email"), r.Parameters.Get("password") ?? "", StaffRole.Poster, cancellationToken);
            return added.Member is { } member ? Ok(ToEntity(member), Wire.TeamMember) : Invalid(string.Join("; ", added.Errors));
        }, cancellationToken);

    /// <summary>Removes a poster of the agency and revokes their tokens at once (the agency's own login may also remove a manager).</summary>
    public Task<WireResult> RemoveStaffAsync(HttpRequest request, string name, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:accounts"), async r =>
        {
            var (manager, refusal) = await CallerAsync(r, cancellationToken);
            if (refusal is not null)
            {
                return refusal;
            }

            if (await staff.GetAsync(r.Account.Id, name, cancellationToken) is not { } target)
            {
                return NotFound();
            }

            if (manager is not null && !TeamService.MayManage(manager, target))
            {
                return Error(ServiceError.Forbidden, "A manager removes posters of their agency only");
            }

            await team.RemoveAsync(target, cancellationToken);
            return Done();
        }, cancellationToken);

    /// <summary>The agency's audit trail, newest first (<c>since</c> an ISO date, <c>staff</c> a name or <c>-</c> for the agency's own login).</summary>
    public Task<WireResult> AuditAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:accounts"), async r =>
        {
            if (await ManagerAsync(r, cancellationToken) is { } refusal)
            {
                return refusal;
            }

            DateTimeOffset? since = null;
            if (r.Query("since") is { Length: > 0 } s)
            {
                if (!DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    return Invalid("since must be a date or time (ISO 8601)");
                }

                since = parsed;
            }

            var rows = new List<AuditRecord>();
            var who = r.Query("staff") switch { "" => null, "-" => "", var name => name };
            await foreach (var e in audit.ListAsync(r.Account.Id, since, who, cancellationToken))
            {
                rows.Add(new AuditRecord(e.Id, e.At, e.Staff, e.Application, e.Action, e.ObjectId));
                if (rows.Count >= MaxAuditRows)
                {
                    break;
                }
            }

            return Ok(rows, Wire.IReadOnlyListAuditRecord);
        }, cancellationToken);

    /// <summary>Null when the caller may manage the agency's team; else the 403 to answer.</summary>
    private async Task<WireResult?> ManagerAsync(ApiRequest r, CancellationToken cancellationToken) => (await CallerAsync(r, cancellationToken)).Refusal;

    /// <summary>The calling manager (null for the agency's own login), or the 403 for anybody else.</summary>
    private async Task<(StaffMember? Manager, WireResult? Refusal)> CallerAsync(ApiRequest r, CancellationToken cancellationToken)
    {
        if (r.Token?.Staff is not { } name)
        {
            return (null, null);
        }

        return await staff.GetAsync(r.Account.Id, name, cancellationToken) is { Role: StaffRole.Manager } manager
            ? (manager, null)
            : (null, Error(ServiceError.Forbidden, "Only the agency's managers manage its team"));
    }

    private static TeamMember ToEntity(StaffMember m) => new(m.Name, m.Email, m.Role.ToString().ToLowerInvariant(), m.CreatedAt);
}
