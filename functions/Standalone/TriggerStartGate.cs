namespace ServerlessFedi.Functions.Standalone;

/// <summary>
/// When the standalone host's queue listeners and timers begin: at once (<see cref="Open"/> already called), or, in the
/// <c>serve</c> mode, when the first HTTP request has been answered or a delay after the server listens, whichever
/// comes first. Their first receives and the JIT work behind them would otherwise compete with the first request on a
/// cold process (docs/PERFORMANCE.md "Cold start and memory"). Messages sent before the gate opens wait in their
/// queues and are processed once it opens. The Functions host starts the worker's triggers itself; this is standalone only.
/// </summary>
public sealed class TriggerStartGate
{
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A gate that is already open: the triggers start with the host.</summary>
    public static TriggerStartGate Immediate()
    {
        var gate = new TriggerStartGate();
        gate.Open();
        return gate;
    }

    public bool IsOpen => _opened.Task.IsCompleted;

    /// <summary>Lets the triggers start; later calls do nothing.</summary>
    public void Open() => _opened.TrySetResult();

    /// <summary>Completes when the gate opens; cancelled with <paramref name="cancellationToken"/> (the host stopping first).</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _opened.Task.WaitAsync(cancellationToken);
}
