using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace ServerlessFedi.Http;

/// <summary>
/// A complete HTTP answer (status, headers, body) that executes the same way under the Functions host's ASP.NET Core
/// integration (<see cref="IActionResult"/>) and in the standalone host, with no MVC formatters involved.
/// </summary>
public sealed class WireResult : IActionResult, IResult
{
    private WireResult(int status, string? contentType, byte[]? body, Func<Stream, CancellationToken, Task>? write = null, Action<IBufferWriter<byte>>? json = null)
    {
        Status = status;
        ContentType = contentType;
        _body = body;
        _write = write;
        _json = json;
    }

    /// <summary>The writer of a <see cref="Streamed"/> body; null when the body is <see cref="Body"/>.</summary>
    private readonly Func<Stream, CancellationToken, Task>? _write;

    /// <summary>
    /// A JSON body not serialised yet: <see cref="ExecuteAsync"/> writes it from a pooled buffer, and <see cref="Body"/>
    /// serialises it into an array only when asked (tests, the audit trail, ETags).
    /// </summary>
    private readonly Action<IBufferWriter<byte>>? _json;

    private byte[]? _body;

    public int Status { get; }

    public string? ContentType { get; }

    public byte[] Body => _body ??= SerializeJson();

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string BodyText => Encoding.UTF8.GetString(Body);

    // JSON bodies are never embedded in HTML, so HTML-sensitive characters ('+', '<', '&') need no \u escapes.
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static WireResult Json(int status, JsonNode node, string contentType = "application/json; charset=utf-8") =>
        new(status, contentType, Encoding.UTF8.GetBytes(node.ToJsonString(Relaxed)));

    /// <summary>
    /// A JSON answer. <paramref name="value"/> is serialised when the answer is written (or its <see cref="Body"/> read),
    /// not now: it must not change after this call, which holds for handlers that build it for this answer alone.
    /// </summary>
    public static WireResult Json<T>(int status, T value, JsonTypeInfo<T> typeInfo, string contentType = "application/json; charset=utf-8")
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        var options = WriterOptions(typeInfo.Options);
        return new(status, contentType, null, json: buffer =>
        {
            using var writer = new Utf8JsonWriter(buffer, options);
            JsonSerializer.Serialize(writer, value, typeInfo);
        });
    }

    /// <summary>The writer settings the serializer itself derives from its options (escaping, indentation, depth).</summary>
    private static JsonWriterOptions WriterOptions(JsonSerializerOptions options) => new()
    {
        Encoder = options.Encoder,
        Indented = options.WriteIndented,
        IndentCharacter = options.IndentCharacter,
        IndentSize = options.IndentSize,
        NewLine = options.NewLine,
        MaxDepth = options.MaxDepth,
        SkipValidation = true,
    };

    private byte[] SerializeJson()
    {
        if (_json is null)
        {
            return [];
        }

        using var buffer = new PooledBufferWriter();
        _json(buffer);
        return buffer.WrittenMemory.ToArray();
    }

    public static WireResult Text(int status, string text, string contentType = "text/plain; charset=utf-8") =>
        new(status, contentType, Encoding.UTF8.GetBytes(text));

    public static WireResult Empty(int status) => new(status, null, []);

    public static WireResult Bytes(int status, byte[] body, string contentType) => new(status, contentType, body);

    /// <summary>
    /// A 200 whose body is written while it is produced (an archive): nothing is buffered, so memory stays flat whatever
    /// the size, and <see cref="Body"/> is empty. The host still ends an HTTP request after 230 s.
    /// </summary>
    public static WireResult Streamed(string contentType, Func<Stream, CancellationToken, Task> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return new(StatusCodes.Status200OK, contentType, [], write);
    }

    public static WireResult Redirect(string location, int status = StatusCodes.Status302Found) =>
        Empty(status).WithHeader("Location", location);

    /// <summary>Mastodon's error shape: <c>{"error": "..."}</c>.</summary>
    public static WireResult Error(int status, string message) =>
        Json(status, new JsonObject { ["error"] = message });

    public WireResult WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }

    /// <summary>Any origin may call; browser apps may read the pagination and rate-limit headers.</summary>
    public WireResult WithCors() =>
        WithHeader("Access-Control-Allow-Origin", "*")
            .WithHeader("Access-Control-Expose-Headers", "Link, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset");

    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ExecuteAsync(context.HttpContext);
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = Status;
        foreach (var (name, value) in Headers)
        {
            response.Headers[name] = value;
        }

        if (ContentType is not null)
        {
            response.ContentType = ContentType;
        }

        if (_write is not null)
        {
            // A writer that ends with a small synchronous write (a stream's final flush) must not fail the whole download.
            if (httpContext.Features.Get<IHttpBodyControlFeature>() is { } control)
            {
                control.AllowSynchronousIO = true;
            }

            await _write(response.Body, httpContext.RequestAborted);
        }
        else if (_body is null && _json is not null)
        {
            // Serialised into a pooled buffer and written from it: no array of the answer's size per request.
            using var buffer = new PooledBufferWriter();
            _json(buffer);
            response.ContentLength = buffer.WrittenCount;
            if (buffer.WrittenCount > 0 && !HttpMethods.IsHead(httpContext.Request.Method))
            {
                await response.Body.WriteAsync(buffer.WrittenMemory, httpContext.RequestAborted);
            }
        }
        else if (Body.Length > 0 && !HttpMethods.IsHead(httpContext.Request.Method))
        {
            response.ContentLength = Body.Length;
            await response.Body.WriteAsync(Body, httpContext.RequestAborted);
        }
        else if (Body.Length > 0)
        {
            response.ContentLength = Body.Length;
        }
    }
}
