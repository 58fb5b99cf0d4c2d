using ServerlessFedi.Cards;
using ServerlessFedi.Configuration;

namespace ServerlessFedi.Web;

/// <summary>
/// A post's link preview as pages show it: the link, its title, description and domain as plain text, and the card image
/// from this instance's media URL (never the third-party original); <see cref="Language"/> is the page's own.
/// </summary>
public sealed record PostCard(string Url, string Title, string Description, string Domain, string? ImageUrl, string ImageAlt, int Width, int Height, string? Language)
{
    public static PostCard Of(LinkCard card, InstanceUrls urls)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(urls);
        var domain = Uri.TryCreate(card.Url, UriKind.Absolute, out var url) ? url.IdnHost : "";
        return new PostCard(card.Url, card.Title, card.Description, domain, card.ImageBlob is { } blob ? urls.Media(blob) : null, card.ImageDescription, card.Width, card.Height, card.Language);
    }
}
