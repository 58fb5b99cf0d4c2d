using System.Collections.Concurrent;

namespace ServerlessFedi.MastodonApi.Mapping;

/// <summary>
/// An enum value's lower-case name as the API writes it (<c>Public</c> → <c>public</c>), computed once per value and
/// process: a page writes the same few names for every item, and the names never change while the process runs.
/// </summary>
public static class WireNames
{
    public static string Lower<T>(T value)
        where T : struct, Enum => Cache<T>.Names.GetOrAdd(value, static v => v.ToString().ToLowerInvariant());

    private static class Cache<T>
        where T : struct, Enum
    {
        public static readonly ConcurrentDictionary<T, string> Names = new();
    }
}
