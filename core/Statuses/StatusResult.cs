namespace ServerlessFedi.Statuses;

/// <summary>Outcome of a status operation: the status, or an error with the HTTP status Mastodon uses for it (422 or 404).</summary>
public sealed record StatusResult(Status? Status, int ErrorStatus, string? Error)
{
    public static StatusResult Ok(Status status) => new(status, 0, null);

    public static StatusResult Invalid(string error) => new(null, 422, error);

    public static StatusResult NotFound(string error) => new(null, 404, error);
}
