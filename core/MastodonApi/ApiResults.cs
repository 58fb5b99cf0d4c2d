using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Errors;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Entities;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// The answers client API handlers give (docs: api/guidelines, entities/Error): an entity, or Mastodon's
/// <c>{"error": "..."}</c> with its status. <see cref="ApiEndpoint"/> adds CORS to whatever is returned; handlers chain
/// only what is particular to them (<c>Link</c>, <c>Cache-Control</c>). Use with <c>using static</c>.
/// </summary>
public static class ApiResults
{
    public const string RecordNotFound = "Record not found";

    public static WireResult Ok<T>(T value, JsonTypeInfo<T> type) => WireResult.Json(StatusCodes.Status200OK, value, type);

    /// <summary><c>{}</c>: done, nothing to show.</summary>
    public static WireResult Done() => Ok(Empty.Value, MastodonJsonContext.Wire.Empty);

    public static WireResult NotFound() => Error(ServiceError.NotFound, RecordNotFound);

    /// <summary>422 <c>Validation failed: {reason}</c>.</summary>
    public static WireResult Invalid(string reason) => Error(ServiceError.Invalid, "Validation failed: " + reason);

    /// <summary>401 for a missing, unknown or expired token (RFC 6750 section 3.1).</summary>
    public static WireResult Unauthorized() =>
        WireResult.Error(StatusCodes.Status401Unauthorized, "The access token is invalid").WithHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");

    /// <summary>403 for acting on oneself or on an account that blocks the caller.</summary>
    public static WireResult NotAllowed() => Error(ServiceError.Forbidden, "This action is not allowed");

    /// <summary>400 for a request that cannot be read (an unparsable body, a required parameter missing).</summary>
    public static WireResult BadRequest(string message) => WireResult.Error(StatusCodes.Status400BadRequest, message);

    /// <summary>A file to save (<c>Content-Disposition: attachment</c>), streamed as <paramref name="write"/> produces it.</summary>
    public static WireResult Download(string contentType, string fileName, Func<Stream, CancellationToken, Task> write) =>
        WireResult.Streamed(contentType, write).WithHeader("Content-Disposition", $"attachment; filename=\"{fileName}\"");

    /// <summary>A service's refusal with its message, at the status Mastodon uses for it.</summary>
    public static WireResult Error(ServiceError error, string message) => WireResult.Error(StatusOf(error), message);

    /// <summary>The one mapping of <see cref="ServiceError"/> to HTTP.</summary>
    public static int StatusOf(ServiceError error) => error switch
    {
        ServiceError.NotFound => StatusCodes.Status404NotFound,
        ServiceError.Invalid => StatusCodes.Status422UnprocessableEntity,
        ServiceError.Forbidden => StatusCodes.Status403Forbidden,
        ServiceError.Busy => StatusCodes.Status503ServiceUnavailable,
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, null),
    };
}
