using System.Text.Json;
using ServerlessFedi.Configuration;

namespace ServerlessFedi.Federation.Inbox;

/// <summary>
/// <c>Flag</c> (a report, as Mastodon sends it): the local accounts and statuses it names (at most 100 objects) are
/// recorded with the comment for the operator (<c>admin reports</c>).
/// </summary>
public sealed class FlagHandler(AccountDirectory directory, ReportStore reports, InstanceUrls urls) : IActivityHandler
{
    public async Task<ActivityOutcome> HandleAsync(InboundActivity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var accountIds = new List<string>();
        var statusIds = new List<string>();
        foreach (var item in ActorDocumentParser.Many(activity.Activity, "object").Take(100))
        {
            var id = item.ValueKind == JsonValueKind.String ? item.GetString() : ActorDocumentParser.String(item, "id");
            if (urls.StatusIdOf(id) is { } statusId)
            {
                statusIds.Add(statusId);
            }
            else if (await directory.GetLocalByActorIdAsync(id, cancellationToken) is { } account)
            {
                accountIds.Add(account.Id);
            }
        }

        if (accountIds.Count == 0 && statusIds.Count == 0)
        {
            return new ActivityOutcome.Ignored("it reports nothing local");
        }

        var flagId = activity.Id ?? $"{activity.ActorId}#flag/{string.Join(',', accountIds.Concat(statusIds))}";
        await reports.AddAsync(flagId, activity.ActorId, accountIds.Distinct().ToList(), statusIds.Distinct().ToList(), ActorDocumentParser.String(activity.Activity, "content") ?? "", cancellationToken);
        return ActivityOutcome.Done;
    }
}
