using ServerlessFedi.Errors;

namespace ServerlessFedi.Statuses;

/// <summary>Outcome of a status operation: the status, or why not (<see cref="Error"/>) with the message for the client.</summary>
public sealed record StatusResult(Status? Status, ServiceError? Error, string? Message)
{
    /// <summary>The request's audit row went in the operation's queue message, which records it (team access).</summary>
    public bool AuditQueued { get; init; }

    public static StatusResult Ok(Status status) => new(status, null, null);

    public static StatusResult Invalid(string message) => new(null, ServiceError.Invalid, message);

    public static StatusResult NotFound(string message) => new(null, ServiceError.NotFound, message);
}
