using ServerlessFedi.Errors;

namespace ServerlessFedi.Media;

/// <summary>Outcome of a media operation: the attachment, or why not (<see cref="Error"/>) with the message for the client.</summary>
public sealed record MediaResult(MediaAttachment? Media, ServiceError? Error, string? Message)
{
    public static MediaResult Ok(MediaAttachment media) => new(media, null, null);

    public static MediaResult Invalid(string message) => new(null, ServiceError.Invalid, message);

    public static MediaResult NotFound() => new(null, ServiceError.NotFound, "Record not found");
}
