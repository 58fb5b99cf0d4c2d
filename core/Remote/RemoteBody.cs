using System.Buffers;

namespace ServerlessFedi.Remote;

/// <summary>
/// The body of a remote answer, never more than a cap (counted after decompression, which happens below the stream):
/// collected into an array (<see cref="ReadAsync"/>), or handed on while it arrives (<see cref="StreamAsync"/>).
/// </summary>
internal static class RemoteBody
{
    private const int ReadChunkBytes = 16 * 1024;

    /// <summary>The body, at most <paramref name="max"/> bytes: past that, the first <paramref name="max"/> with <paramref name="truncate"/>, else a refusal.</summary>
    public static async Task<byte[]> ReadAsync(HttpResponseMessage response, Uri url, int max, bool truncate, CancellationToken ct)
    {
        if (!truncate && response.Content.Headers.ContentLength is { } declared && declared > max)
        {
            throw TooLarge(url, max);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var collected = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(ReadChunkBytes);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk.AsMemory(0, ReadChunkBytes), ct)) > 0)
            {
                if (collected.Length + read > max)
                {
                    if (!truncate)
                    {
                        throw TooLarge(url, max);
                    }

                    collected.Write(chunk, 0, max - (int)collected.Length);
                    break;
                }

                collected.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return collected.ToArray();
    }

    /// <summary>A 2xx answer's body handed to <paramref name="consume"/> within <paramref name="max"/> bytes; any other answer's left unread. Returns an empty body.</summary>
    public static async Task<byte[]> StreamAsync(HttpResponseMessage response, Uri url, long max, Func<Stream, CancellationToken, Task> consume, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            return [];
        }

        if (response.Content.Headers.ContentLength is { } declared && declared > max)
        {
            throw TooLarge(url, max);
        }

        await using var stream = new BoundedReadStream(await response.Content.ReadAsStreamAsync(ct), max, url);
        await consume(stream, ct);
        return [];
    }

    public static RemoteFetchException TooLarge(Uri url, long max) =>
        new(RemoteFetchFailure.BodyTooLarge, $"The response from {url.Host} exceeds {max} bytes.");
}
