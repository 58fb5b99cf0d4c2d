namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>The <c>params.poll</c> of a ScheduledStatus (docs: entities/ScheduledStatus#params-poll): the poll as asked for; <c>expires_in</c> in seconds.</summary>
public sealed record ScheduledStatusPoll(IReadOnlyList<string> Options, long ExpiresIn, bool Multiple, bool HideTotals);
