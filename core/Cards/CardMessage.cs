using System.Text.Json;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Cards;

/// <summary>
/// Fetch (or reuse) the preview card of a status's first link and attach it: sent on the <c>media</c> queue after a
/// status is stored or edited, told apart from uploads by <see cref="Kind"/>.
/// </summary>
/// <param name="StatusId">The status whose first link is previewed.</param>
/// <param name="Deferrals">How often the fetch budget put it off (<see cref="LinkCards.MaxDeferrals"/> at most).</param>
/// <param name="Kind">What the message is, on the wire (<c>kind</c>): always <see cref="KindName"/>.</param>
public sealed record CardMessage(string StatusId, int Deferrals = 0, string Kind = CardMessage.KindName)
{
    public const string KindName = "card";

    /// <summary>The card request in a media queue message, or null when the message is another kind.</summary>
    public static CardMessage? TryParse(string message)
    {
        using var doc = JsonDocument.Parse(message);
        if (QueueMessageKind.Matching(doc, KindName) is not { } root)
        {
            return null;
        }

        var deferrals = root.TryGetProperty("deferrals", out var d) && d.TryGetInt32(out var n) ? n : 0;
        return QueueMessageKind.Text(root, "statusId") is { } statusId
            ? new CardMessage(statusId, deferrals)
            : throw new JsonException("a card request names its status");
    }
}
