using System.Collections.Concurrent;
using Microsoft.Azure.Functions.Worker;

namespace ServerlessFedi.Tests.Standalone;

/// <summary>A queue function for listener tests: records what it received, and fails on messages that ask it to.</summary>
public sealed class RecordingQueueFunction
{
    public static ConcurrentQueue<(string Message, long DequeueCount)> Received { get; } = new();

    [Function("RecordingQueue")]
    public Task Run([QueueTrigger("ignored")] string message, long dequeueCount)
    {
        Received.Enqueue((message, dequeueCount));
        return message.StartsWith("fail", StringComparison.Ordinal)
            ? Task.FromException(new InvalidOperationException("asked to fail"))
            : Task.CompletedTask;
    }
}
