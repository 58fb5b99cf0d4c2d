namespace ServerlessFedi.Cards;

/// <summary>What the card row of a URL says: its card, or none (<see cref="Card"/> null: the page had no card), as of <see cref="FetchedAt"/>.</summary>
public sealed record CachedCard(LinkCard? Card, DateTimeOffset FetchedAt);
