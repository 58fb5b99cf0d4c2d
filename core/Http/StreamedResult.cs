using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace ServerlessFedi.Http;

/// <summary>
/// A 200 whose body is written while it is produced (an archive), under both hosts like <see cref="WireResult"/>: nothing
/// is buffered, so memory stays flat whatever the size. The host still ends an HTTP request after 230 s.
/// </summary>
public sealed class StreamedResult(string contentType, Func<Stream, CancellationToken, Task> write) : IActionResult, IResult
{
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public StreamedResult WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }

    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ExecuteAsync(context.HttpContext);
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        foreach (var (name, value) in Headers)
        {
            response.Headers[name] = value;
        }

        response.ContentType = contentType;
        // A writer that ends with a small synchronous write (a stream's final flush) must not fail the whole download.
        if (httpContext.Features.Get<IHttpBodyControlFeature>() is { } body)
        {
            body.AllowSynchronousIO = true;
        }

        await write(response.Body, httpContext.RequestAborted);
    }
}
