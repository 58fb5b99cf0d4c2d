using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.Team;

namespace ServerlessFedi.Functions.Timers;

/// <summary>Team access housekeeping.</summary>
public sealed class AuditExpiryFunctions(TeamService team)
{
    /// <summary>Daily at 03:43 (UTC): deletes audit rows older than <c>Fedi__AuditRetentionDays</c> (they are never shown before).</summary>
    [Function("AuditExpiry")]
    public Task Run([TimerTrigger("0 43 3 * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        team.ExpireAuditAsync(cancellationToken);
}
