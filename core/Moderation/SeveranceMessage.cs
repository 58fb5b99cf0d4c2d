using System.Text.Json;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Moderation;

/// <summary>
/// One bounded step of severing the follows between local accounts and a suspended server (<see cref="Domain"/>) or
/// remote account (<see cref="ActorId"/>), on the accounts queue (told apart by <see cref="Kind"/>). A domain's step
/// handles the local accounts after <see cref="AfterAccountId"/>, in id order.
/// </summary>
/// <param name="Kind">What the message is, on the wire (<c>kind</c>): always <see cref="KindName"/>.</param>
public sealed record SeveranceMessage(string? Domain, string? ActorId, string? AfterAccountId = null, string Kind = SeveranceMessage.KindName)
{
    public const string KindName = "severFollows";

    /// <summary>The step in an accounts queue message, or null when the message is another kind.</summary>
    public static SeveranceMessage? TryParse(string message)
    {
        using var doc = JsonDocument.Parse(message);
        if (QueueMessageKind.Matching(doc, KindName) is not { } root)
        {
            return null;
        }

        var parsed = new SeveranceMessage(QueueMessageKind.Text(root, "domain"), QueueMessageKind.Text(root, "actorId"), QueueMessageKind.Text(root, "afterAccountId"));
        return parsed.Domain is null == parsed.ActorId is null ? throw new JsonException("a severance names a domain or an actor") : parsed;
    }
}
