using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Moderation;

/// <summary>
/// Reports local accounts file from their apps (docs: methods/reports): kept beside the Flags other servers send, for the
/// operator's <c>admin reports</c>; with <c>forward</c>, a remote account's server gets a <c>Flag</c> from the instance
/// actor (as Mastodon forwards: anonymously, naming the account and the reported statuses), so its moderators see it too.
/// Storage: 1 account read (reported account) + 1 point read per reported status (at most <see cref="MaxStatuses"/>)
/// + 1 insert, + 1 queue send when forwarded.
/// </summary>
public sealed class ReportFiling(ReportStore reports, StatusStore statuses, ActivityPublisher publisher, InstanceUrls urls, FediOptions options)
{
    /// <summary>Mastodon's limit on a report's comment (Report::COMMENT_SIZE_LIMIT).</summary>
    public const int MaxCommentLength = 1000;

    /// <summary>Statuses attached to one report; apps attach a handful, and each costs a read.</summary>
    public const int MaxStatuses = 100;

    public static readonly IReadOnlySet<string> Categories = new HashSet<string>(StringComparer.Ordinal) { "spam", "legal", "violation", "other" };

    /// <summary>
    /// Files the report. Refused (with the message for a 422) when the comment is too long, the category unknown, a rule id
    /// names no instance rule, or the account reports itself; null target or a status that is not the target's (deleted
    /// ones included, as Mastodon keeps them reportable) is <see cref="ReportFilingResult.NotFound"/>. Mastodon's rule holds:
    /// citing rules makes the category <c>violation</c>, and only a remote account's report can be forwarded.
    /// </summary>
    public async Task<ReportFilingResult> FileAsync(LocalAccount reporter, AccountRef? target, IReadOnlyList<string> statusIds, string comment, string? category, IReadOnlyList<string> ruleIds, bool forward, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        if (target is null)
        {
            return new ReportFilingResult.NotFound();
        }

        if (target.Local?.Id == reporter.Id)
        {
            return new ReportFilingResult.Refused("You cannot report yourself");
        }

        if (comment.Length > MaxCommentLength)
        {
            return new ReportFilingResult.Refused($"Comment is too long (maximum is {MaxCommentLength} characters)");
        }

        if (statusIds.Count > MaxStatuses)
        {
            return new ReportFilingResult.Refused($"A report attaches at most {MaxStatuses} statuses");
        }

        var rules = InstanceRules.Parse(options.Rules).Count;
        foreach (var ruleId in ruleIds)
        {
            if (!int.TryParse(ruleId, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > rules)
            {
                return new ReportFilingResult.Refused($"Rule ids names no rule of this server: {ruleId}");
            }
        }

        var chosen = ruleIds.Count > 0 ? "violation" : string.IsNullOrEmpty(category) ? "other" : category;
        if (!Categories.Contains(chosen))
        {
            return new ReportFilingResult.Refused($"Category '{category}' is not one of spam, legal, violation, other");
        }

        var distinct = statusIds.Distinct(StringComparer.Ordinal).ToList();
        var found = distinct.Count == 0 ? [] : await statuses.GetManyAsync(distinct, cancellationToken);
        if (found.Count != distinct.Count || found.Any(s => s.AccountId != target.ApiId))
        {
            return new ReportFilingResult.NotFound();
        }

        var forwarded = forward && target.Remote is not null;
        var report = await reports.AddLocalAsync(new Report("", urls.Actor(reporter.Username), [target.ApiId], distinct, comment, default)
        {
            ReporterAccountId = reporter.Id,
            Category = chosen,
            RuleIds = [.. ruleIds.Distinct(StringComparer.Ordinal)],
            Forwarded = forwarded,
        }, cancellationToken);

        if (forwarded)
        {
            await publisher.SendAsInstanceAsync(Flag(report, target.Remote!, found), target.Remote!.DeliveryInbox, cancellationToken);
        }

        return new ReportFilingResult.Filed(report, target);
    }

    /// <summary>The Flag a forwarded report sends: the instance actor as reporter (the local account stays anonymous), the reported actor and statuses as objects.</summary>
    private JsonObject Flag(Report report, RemoteActor target, IReadOnlyList<Status> reported)
    {
        var objects = new JsonArray(target.Id);
        foreach (var status in reported.Where(s => s.Uri is not null))
        {
            objects.Add(status.Uri);
        }

        return new JsonObject
        {
            ["@context"] = ActivityStreamsContext.ActivityStreams,
            ["id"] = $"{urls.InstanceActor}#flags/{report.Id}",
            ["type"] = "Flag",
            ["actor"] = urls.InstanceActor,
            ["content"] = report.Comment,
            ["object"] = objects,
        };
    }
}
