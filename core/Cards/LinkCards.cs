using Microsoft.Extensions.Logging;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Cards;

/// <summary>
/// Gives a status the preview card of its first link (<see cref="CardLinks"/>), from the <c>media</c> queue
/// (<see cref="CardMessage"/>), never within a request: the API answers <c>card: null</c> until then, as Mastodon does.
/// A URL is fetched once (<see cref="CardFetcher"/>) and its card, or the note that it has none, kept for every status
/// linking to it (<see cref="CardStore"/>): a card for <see cref="Fresh"/>, "none" for <see cref="NoneFresh"/>. A fetch
/// the budget (<see cref="CardFetchBudget"/>) cannot afford is put off a minute, at most <see cref="MaxDeferrals"/>
/// times (an expired card is used meanwhile). An edit that changed or removed the link changes or removes the card.
/// Storage: 1 point read (the status) + 1 point read (the card row); a fetch + 1 upsert (+1 blob put for its image);
/// attaching see <see cref="CardStore.AttachAsync"/>.
/// </summary>
public sealed class LinkCards(StatusStore statuses, CardStore cards, CardFetcher fetcher, CardFetchBudget budget, WorkQueue queue, InstanceUrls urls, TimeProvider time, ILogger<LinkCards> logger)
{
    /// <summary>How long a card is reused before its page is fetched again (Mastodon: two weeks).</summary>
    public static readonly TimeSpan Fresh = TimeSpan.FromDays(14);

    /// <summary>How long a link without a card (no page, no title, refused) is not fetched again.</summary>
    public static readonly TimeSpan NoneFresh = TimeSpan.FromDays(1);

    public const int MaxDeferrals = 10;

    private static readonly TimeSpan DeferDelay = TimeSpan.FromMinutes(1);

    public async Task ProcessAsync(CardMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (await statuses.GetAsync(message.StatusId, cancellationToken) is not { DeletedAt: null } status)
        {
            return;
        }

        var link = CardLinks.FirstLink(status, urls);
        if (link is null)
        {
            if (status.Card is not null)
            {
                await cards.AttachAsync(status.Id, null, s => CardLinks.FirstLink(s, urls) is null, cancellationToken);
            }

            return;
        }

        var url = link.AbsoluteUri;
        if (status.Card?.Url == url)
        {
            return;
        }

        var cached = await cards.GetAsync(url, cancellationToken);
        var now = time.GetUtcNow();
        LinkCard? card;
        if (cached is not null && now - cached.FetchedAt < (cached.Card is null ? NoneFresh : Fresh))
        {
            card = cached.Card;
        }
        else if (!budget.TryTake(link.Host))
        {
            if (cached?.Card is null)
            {
                await DeferAsync(message, url, cancellationToken);
                return;
            }

            card = cached.Card;
        }
        else
        {
            card = await fetcher.FetchAsync(link, cached?.Card, cancellationToken);
            await cards.SaveAsync(url, card, now, cancellationToken);
        }

        if (card is not null || status.Card is not null)
        {
            await cards.AttachAsync(status.Id, card, s => CardLinks.FirstLink(s, urls)?.AbsoluteUri == url, cancellationToken);
        }
    }

    private async Task DeferAsync(CardMessage message, string url, CancellationToken cancellationToken)
    {
        if (message.Deferrals >= MaxDeferrals)
        {
            logger.LogInformation("No card for status {StatusId}: the fetch budget stayed used up", message.StatusId);
            return;
        }

        logger.LogDebug("Card of {Url} put off by the fetch budget", url);
        await queue.SendCardAsync(message with { Deferrals = message.Deferrals + 1 }, DeferDelay, cancellationToken);
    }
}
