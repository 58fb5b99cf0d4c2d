namespace ServerlessFedi.MastodonApi;

/// <summary>One week of <c>/api/v1/instance/activity</c> (docs: methods/instance#activity).</summary>
public sealed record WeekActivity(DateTimeOffset Week, long Statuses, long Logins, long Registrations);
