using ServerlessFedi.Cards;
using ServerlessFedi.Configuration;
using ServerlessFedi.MastodonApi.Entities;

namespace ServerlessFedi.MastodonApi.Mapping;

/// <summary>Stored link cards onto the wire (docs: entities/PreviewCard): the image at this instance's media URL, the author also in <c>authors</c>.</summary>
public static class PreviewCardMapper
{
    public static PreviewCard ToPreviewCard(LinkCard card, InstanceUrls urls)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(urls);
        return new PreviewCard
        {
            Url = card.Url,
            Title = card.Title,
            Description = card.Description,
            Language = card.Language,
            Type = card.Type,
            AuthorName = card.AuthorName,
            AuthorUrl = card.AuthorUrl,
            ProviderName = card.ProviderName,
            ProviderUrl = card.ProviderUrl,
            Width = card.ImageBlob is null ? 0 : card.Width,
            Height = card.ImageBlob is null ? 0 : card.Height,
            Image = card.ImageBlob is { } blob ? urls.Media(blob) : null,
            ImageDescription = card.ImageBlob is null ? "" : card.ImageDescription,
            Blurhash = card.ImageBlob is null ? null : card.Blurhash,
            PublishedAt = card.PublishedAt,
            // The account, when credited, is filled in by StatusRenderer (it reads accounts once per page).
            Authors = card.AuthorName.Length > 0 || card.AuthorAccountId is not null ? [new PreviewCardAuthor(card.AuthorName, card.AuthorUrl, null)] : [],
        };
    }
}
