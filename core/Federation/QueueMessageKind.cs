using System.Text.Json;

namespace ServerlessFedi.Federation;

/// <summary>
/// The <c>kind</c> property that tells one message type from the others on a shared queue (the accounts queue carries
/// deletion steps, follower moves and severances), read before the message is bound to its type.
/// </summary>
public static class QueueMessageKind
{
    /// <summary>The message's root object when its <c>kind</c> is <paramref name="kind"/>, else null.</summary>
    public static JsonElement? Matching(JsonDocument message, string kind)
    {
        ArgumentNullException.ThrowIfNull(message);
        var root = message.RootElement;
        return root.ValueKind == JsonValueKind.Object && Text(root, "kind") == kind ? root : null;
    }

    /// <summary>A string property of <paramref name="obj"/>, or null when it is missing or not a string.</summary>
    public static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
