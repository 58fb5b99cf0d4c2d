using ServerlessFedi.Federation;
using ServerlessFedi.MastodonApi.Entities;

namespace ServerlessFedi.MastodonApi.Mapping;

/// <summary>Reports onto the wire (docs: entities/Report): empty status and rule lists are null, as Mastodon writes them.</summary>
public sealed class ReportMapper(AccountMapper accounts)
{
    public Entities.Report ToReport(Federation.Report report, AccountRef target)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new Entities.Report
        {
            Id = report.Id,
            ActionTaken = report.ResolvedAt is not null,
            ActionTakenAt = report.ResolvedAt,
            Category = report.Category,
            Comment = report.Comment,
            Forwarded = report.Forwarded,
            CreatedAt = report.CreatedAt,
            StatusIds = report.StatusIds.Count == 0 ? null : report.StatusIds,
            RuleIds = report.RuleIds.Count == 0 ? null : report.RuleIds,
            TargetAccount = accounts.ToAccount(target),
        };
    }
}
