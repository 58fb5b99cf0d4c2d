using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Media;
using ServerlessFedi.Remote;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Cards;

/// <summary>
/// Fetches a link's page and reads its card (<see cref="CardPageParser"/>), then its image, through the guarded
/// <see cref="RemoteClient"/> (http or https; no private or loopback targets, every redirect hop checked, at most three): an unsigned GET
/// with <c>Accept: text/html</c>, only a 200 <c>text/html</c> answer is read, and only its first
/// <see cref="MaxPageBytes"/> (a page that never ends is cut there); the image only when it is an image of at most
/// <see cref="MaxImageBytes"/>, each within <see cref="FetchTimeout"/>. The image goes through the media pipeline
/// (<see cref="MediaProcessor"/>: decoded, resized, re-encoded without metadata, BlurHash) into the <c>media</c>
/// container under <see cref="StorageKeys.CardImagePrefix"/>, with the time it was written (<see cref="CardImages"/>: deleted
/// after the retention), so apps and pages load it from this instance. A page without a card, or any failure, gives null; an image
/// that cannot be had leaves the card without one. Storage: 1 blob put when an image is stored; a page naming its creator
/// + up to 2 point reads (<see cref="CardCreators"/>).
/// </summary>
public sealed class CardFetcher(RemoteClient client, MediaStore media, SnowflakeIds ids, CardCreators creators, CardImages images, TimeProvider time, ILogger<CardFetcher> logger)
{
    /// <summary>The most of a page read: its head is all a card needs.</summary>
    public const int MaxPageBytes = 1024 * 1024;

    /// <summary>The largest card image fetched (Mastodon's preview card limit is 2 MB too).</summary>
    public const int MaxImageBytes = 2 * 1024 * 1024;

    /// <summary>The card image's pixel budget (about 640x640, as Mastodon's preview card images).</summary>
    public const int ImagePixels = 640 * 640;

    /// <summary>The whole exchange of one fetch, redirects and body included.</summary>
    public static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(10);

    // http too, as Mastodon previews http links: the same address checks apply, and the image is served from here either way.
    private static readonly RemoteFetchBounds PageBounds = new(MaxPageBytes, FetchTimeout, ["text/html"], Truncate: true, AllowHttp: true);

    private static readonly RemoteFetchBounds ImageBounds = new(MaxImageBytes, FetchTimeout, ["image/*"], Truncate: false, AllowHttp: true);

    /// <summary>
    /// The card of <paramref name="link"/>, or null. The image of <paramref name="previous"/> (the card fetched before)
    /// is reused when the page still names the same one and it outlives the new card's freshness (<see cref="CardImages.MayReuse"/>).
    /// </summary>
    public async Task<LinkCard?> FetchAsync(Uri link, LinkCard? previous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (await GetAsync(link, "text/html", PageBounds, cancellationToken) is not { } page
            || CardPageParser.Parse(link.AbsoluteUri, page.FinalUrl, page.Body, page.ContentType) is not { } card)
        {
            return null;
        }

        // Credited by the host that served the meta tag (after redirects), not the one linked.
        card = card with { AuthorAccountId = await creators.AccountIdAsync(card.Creator, page.FinalUrl, cancellationToken) };
        if (card.ImageSource is not { } source)
        {
            return card;
        }

        if (previous is { ImageBlob: not null } && previous.ImageSource == source && images.MayReuse(previous))
        {
            return card with { ImageBlob = previous.ImageBlob, ImageStoredAt = previous.ImageStoredAt, Width = previous.Width, Height = previous.Height, Blurhash = previous.Blurhash };
        }

        if (await GetAsync(new Uri(source), "image/*", ImageBounds, cancellationToken) is not { } image)
        {
            return card with { ImageSource = null, ImageDescription = "" };
        }

        var processed = MediaProcessor.Process(image.Body, ImageTarget.Fit(ImagePixels), ImageTarget.Fit(32 * 32));
        if (processed.Media is not { } files)
        {
            logger.LogInformation("The card image of {Host} was refused: {Reason}", link.Host, processed.Message);
            return card with { ImageSource = null, ImageDescription = "" };
        }

        var blob = StorageKeys.CardImageBlob(ids.Next(), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), files.Original.Extension);
        // Taken before the put: never later than the file's Last-Modified, from which the lifecycle rule counts.
        var storedAt = time.GetUtcNow();
        await media.PutFileAsync(blob, files.Original, cancellationToken);
        return card with { ImageBlob = blob, ImageStoredAt = storedAt, Width = files.Original.Width, Height = files.Original.Height, Blurhash = files.Blurhash };
    }

    /// <summary>A 200 answer of an admitted type with a body, or null (logged) for anything else.</summary>
    private async Task<RemoteResponse?> GetAsync(Uri url, string accept, RemoteFetchBounds bounds, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.GetBoundedAsync(url, accept, bounds, cancellationToken);
            if (response.Status == 200 && bounds.Admits(response.ContentType) && response.Body.Length > 0)
            {
                return response;
            }

            logger.LogInformation("No card from {Host}: {Status} {ContentType}", url.Host, response.Status, response.ContentType);
        }
        catch (RemoteFetchException e)
        {
            logger.LogInformation("No card from {Host}: {Reason}", url.Host, e.Reason);
        }

        return null;
    }
}
