using System.Globalization;
using System.Text.Json;

namespace ServerlessFedi.Functions.Standalone;

/// <summary>
/// The parts of <c>host.json</c> the host applies to triggers, with the host's defaults where a value is absent.
/// </summary>
public sealed record HostJsonSettings
{
    public string RoutePrefix { get; init; } = "api";

    public int QueueBatchSize { get; init; } = 16;

    public int QueueNewBatchThreshold { get; init; } = 8;

    public int QueueMaxDequeueCount { get; init; } = 5;

    /// <summary>Delay before a failed message becomes visible again (host default 0: immediate retry).</summary>
    public TimeSpan QueueVisibilityTimeout { get; init; } = TimeSpan.Zero;

    public TimeSpan QueueMaxPollingInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary><c>base64</c> (default) or <c>none</c>.</summary>
    public string QueueMessageEncoding { get; init; } = "base64";

    public static HostJsonSettings Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"host.json not found at {path}.", path);
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var settings = new HostJsonSettings();
        if (!doc.RootElement.TryGetProperty("extensions", out var extensions))
        {
            return settings;
        }

        if (extensions.TryGetProperty("http", out var http) && http.TryGetProperty("routePrefix", out var prefix))
        {
            settings = settings with { RoutePrefix = prefix.GetString() ?? "" };
        }

        if (extensions.TryGetProperty("queues", out var queues))
        {
            settings = settings with
            {
                QueueBatchSize = Int(queues, "batchSize") ?? settings.QueueBatchSize,
                QueueNewBatchThreshold = Int(queues, "newBatchThreshold") ?? settings.QueueNewBatchThreshold,
                QueueMaxDequeueCount = Int(queues, "maxDequeueCount") ?? settings.QueueMaxDequeueCount,
                QueueVisibilityTimeout = Span(queues, "visibilityTimeout") ?? settings.QueueVisibilityTimeout,
                QueueMaxPollingInterval = Span(queues, "maxPollingInterval") ?? settings.QueueMaxPollingInterval,
                QueueMessageEncoding = queues.TryGetProperty("messageEncoding", out var enc) ? enc.GetString()?.ToLowerInvariant() ?? "base64" : "base64",
            };
        }

        return settings;
    }

    private static int? Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    private static TimeSpan? Span(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? TimeSpan.Parse(v.GetString()!, CultureInfo.InvariantCulture)
            : null;
}
