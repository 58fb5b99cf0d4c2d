using ServerlessFedi.Configuration;

namespace ServerlessFedi.Cards;

/// <summary>
/// How long a card's image lives: stored under <c>StorageKeys.CardImagePrefix</c> of the <c>media</c> container, which the
/// storage account's lifecycle rule empties <c>Fedi__CardImageRetentionDays</c> after each file was written (Azure runs
/// the rule once a day, so a file lasts at least that long). Every renderer (API <c>card.image</c>, public pages) drops
/// the image <see cref="Margin"/> before that, so no app or page ever links a deleted file; the card keeps its text. A card
/// refetched after <see cref="LinkCards.Fresh"/> stores a new image unless the stored one still outlives the new card's
/// freshness. Images of cards written before <see cref="LinkCard.ImageStoredAt"/> existed are outside the prefix and kept.
/// </summary>
public sealed class CardImages(FediOptions options, TimeProvider time)
{
    /// <summary>Shown for a day less than kept: room for clock skew between app and storage and for answers apps cache.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromDays(1);

    /// <summary>The shortest retention: <see cref="LinkCards.Fresh"/> + <see cref="Margin"/> + a day, so a card reused to the end of its freshness still shows its image.</summary>
    public const int MinRetentionDays = 16;

    public TimeSpan Retention => TimeSpan.FromDays(options.CardImageRetentionDays);

    /// <summary>The card as shown now: without its image once that is past its retention (<see cref="Shown(LinkCard, TimeSpan, DateTimeOffset)"/>).</summary>
    public LinkCard Shown(LinkCard card) => Shown(card, Retention, time.GetUtcNow());

    /// <summary>Whether <paramref name="previous"/>'s stored image may serve a card written now: it outlives the new card's freshness.</summary>
    public bool MayReuse(LinkCard previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        return previous is { ImageBlob: not null, ImageStoredAt: { } stored } && time.GetUtcNow() - stored + LinkCards.Fresh < Retention - Margin;
    }

    /// <summary>The card without its image (and the image's size, description and BlurHash) when the image was stored <paramref name="retention"/> less <see cref="Margin"/> or more before <paramref name="now"/>.</summary>
    public static LinkCard Shown(LinkCard card, TimeSpan retention, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(card);
        return card is { ImageBlob: not null, ImageStoredAt: { } stored } && now - stored >= retention - Margin
            ? card with { ImageBlob = null, ImageSource = null, ImageDescription = "", Width = 0, Height = 0, Blurhash = null }
            : card;
    }
}
