using System.Text.Json;

namespace ServerlessFedi.Federation;

/// <summary>
/// What a local account's favourite leaves to the queue (<c>FavouriteProcessor</c>): the favourite's record among the
/// status's favourites, its author's notification or the Like to the author's server, and the count. Sent on the fan-out
/// queue before the request records the favourite, so a process that dies after answering leaves it to be done.
/// Marked by <see cref="Kind"/> among the fan-out queue's messages.
/// </summary>
/// <param name="AccountId">The local account that favourited.</param>
/// <param name="StatusId">The status it favourited (the boosted one for a boost).</param>
/// <param name="Kind">What the message is, on the wire (<c>kind</c>): always <see cref="KindName"/>.</param>
public sealed record FavouriteMessage(string AccountId, string StatusId, string Kind = FavouriteMessage.KindName)
{
    public const string KindName = "favourite";

    /// <summary>The favourite in a fan-out queue message, or null when the message is something else.</summary>
    public static FavouriteMessage? TryParse(string message)
    {
        using var doc = JsonDocument.Parse(message);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("kind", out var kind) || kind.ValueKind != JsonValueKind.String || kind.GetString() != KindName)
        {
            return null;
        }

        return JsonSerializer.Deserialize(root, QueueJsonContext.Default.FavouriteMessage) is { AccountId.Length: > 0, StatusId.Length: > 0 } favourite
            ? favourite
            : throw new JsonException("a favourite names its account and its status");
    }
}
