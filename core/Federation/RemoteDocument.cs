using System.Text.Json;

namespace ServerlessFedi.Federation;

/// <summary>
/// What <see cref="RemoteObjectFetcher.RetrieveAsync"/> got: the status of the last response, and the document when its
/// origin vouches for it; otherwise <see cref="Document"/> is null and <see cref="Refusal"/> says why (safe to log).
/// </summary>
public sealed record RemoteDocument(int Status, JsonElement? Document, string? Refusal)
{
    /// <summary>The server answered 408, 429 or 5xx: asking again later may succeed.</summary>
    public bool IsTransient => Status is 408 or 429 or >= 500;
}
