using System.Text.Json;

namespace ServerlessFedi.Federation;

/// <summary>
/// The guard of a local post being created (see <see cref="ActivityPublisher.GuardStatusAsync"/>): sent on the fan-out
/// queue with a delay before the post is stored and deleted once it is published, so it is only seen when the request
/// died in between; then it finishes the post (<c>PostGuardProcessor</c>). Marked by <see cref="Kind"/> among the
/// fan-out queue's messages; guards sent before it had its own type are fan-out messages with <c>completesStatus</c>.
/// </summary>
/// <param name="SenderId">The author's account id.</param>
/// <param name="StatusId">The post it guards.</param>
/// <param name="Kind">What the message is, on the wire (<c>kind</c>): always <see cref="KindName"/>.</param>
/// <param name="Audit">The posting request's audit row (team access), recorded by the guard only when it finds the post stored.</param>
public sealed record PostGuardMessage(string SenderId, string StatusId, string Kind = PostGuardMessage.KindName, Team.PendingAudit? Audit = null)
{
    public const string KindName = "postGuard";

    /// <summary>The guard in a fan-out queue message, or null when the message is a fan-out page.</summary>
    public static PostGuardMessage? TryParse(string message)
    {
        using var doc = JsonDocument.Parse(message);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var isGuard = root.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String && kind.GetString() == KindName
            || root.TryGetProperty("completesStatus", out var legacy) && legacy.ValueKind == JsonValueKind.True;
        if (!isGuard)
        {
            return null;
        }

        return Text(root, "senderId") is { } sender && Text(root, "statusId") is { } status
            ? new PostGuardMessage(sender, status, Audit: root.TryGetProperty("audit", out var audit) && audit.ValueKind == JsonValueKind.Object
                ? audit.Deserialize(QueueJsonContext.Default.PendingAudit) ?? throw new JsonException("an empty audit row")
                : null)
            : throw new JsonException("a post guard names its sender and its status");

        static string? Text(JsonElement obj, string name) =>
            obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
