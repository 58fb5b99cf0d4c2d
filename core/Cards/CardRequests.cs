using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Cards;

/// <summary>
/// Asks the <c>media</c> queue for a status's card (<see cref="LinkCards"/>) after it was stored or edited, only when its
/// first link is not the one its card shows (a new link, a changed one, or a removed one). Storage: 1 queue send then, else none.
/// </summary>
public sealed class CardRequests(WorkQueue queue, InstanceUrls urls)
{
    public async Task RequestAsync(Status status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (CardLinks.FirstLink(status, urls)?.AbsoluteUri != status.Card?.Url)
        {
            await queue.SendCardAsync(new CardMessage(status.Id), null, cancellationToken);
        }
    }
}
