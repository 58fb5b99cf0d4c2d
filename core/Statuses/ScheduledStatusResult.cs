using ServerlessFedi.Errors;

namespace ServerlessFedi.Statuses;

/// <summary>Outcome of a scheduled-status operation: the scheduled status, or why not (<see cref="Error"/>) with the message for the client.</summary>
public sealed record ScheduledStatusResult(ScheduledStatus? Scheduled, ServiceError? Error, string? Message)
{
    public static ScheduledStatusResult Ok(ScheduledStatus scheduled) => new(scheduled, null, null);

    public static ScheduledStatusResult Invalid(string message) => new(null, ServiceError.Invalid, message);

    public static ScheduledStatusResult NotFound() => new(null, ServiceError.NotFound, "Record not found");
}
