namespace ServerlessFedi.Benchmarks;

/// <summary>
/// The benchmark phase an async flow works for. Azure.Core writes its request events on the flow that sends the request,
/// so the <see cref="StorageCounter"/> files each storage transaction under the phase current there.
/// </summary>
public static class Phase
{
    private static readonly AsyncLocal<string?> CurrentPhase = new();

    public static string? Current => CurrentPhase.Value;

    /// <summary>Sets the phase for the rest of the calling async method and everything it starts (used by middleware).</summary>
    public static void Set(string name) => CurrentPhase.Value = name;

    /// <summary>Runs <paramref name="body"/> under <paramref name="name"/>; the caller's phase is restored when it returns.</summary>
    public static async Task<T> RunAsync<T>(string name, Func<Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        CurrentPhase.Value = name;
        return await body();
    }

    /// <inheritdoc cref="RunAsync{T}(string, Func{Task{T}})"/>
    public static async Task RunAsync(string name, Func<Task> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        CurrentPhase.Value = name;
        await body();
    }
}
