using System.Collections.Concurrent;
using Microsoft.Azure.Functions.Worker;

namespace ServerlessFedi.Tests.Standalone;

/// <summary>A queue function for listener tests: records what it received, fails on messages that ask it to, and holds those that ask until <see cref="Gate"/> opens.</summary>
public sealed class RecordingQueueFunction
{
    public static ConcurrentQueue<(string Message, long DequeueCount)> Received { get; } = new();

    /// <summary>What a message starting with <c>hold</c> waits for; replaced by each test that uses it.</summary>
    public static TaskCompletionSource Gate { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Function("RecordingQueue")]
    public Task Run([QueueTrigger("ignored")] string message, long dequeueCount)
    {
        Received.Enqueue((message, dequeueCount));
        if (message.StartsWith("hold", StringComparison.Ordinal))
        {
            return Gate.Task;
        }

        return message.StartsWith("fail", StringComparison.Ordinal)
            ? Task.FromException(new InvalidOperationException("asked to fail"))
            : Task.CompletedTask;
    }
}
