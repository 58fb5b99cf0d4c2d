using ServerlessFedi.Errors;

namespace ServerlessFedi.Media;

/// <summary>The processed media, or why the upload is refused (<see cref="Error"/>) with the message for the client.</summary>
public sealed record MediaProcessingResult(ProcessedMedia? Media, ServiceError? Error, string? Message)
{
    public static MediaProcessingResult Ok(ProcessedMedia media) => new(media, null, null);

    public static MediaProcessingResult Invalid(string message) => new(null, ServiceError.Invalid, message);
}
