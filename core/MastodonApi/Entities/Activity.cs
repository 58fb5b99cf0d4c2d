namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>Activity (docs: entities/Activity): one week of <c>/api/v1/instance/activity</c>; numbers as strings, as Mastodon writes them.</summary>
public sealed record Activity(string Week, string Statuses, string Logins, string Registrations);
