namespace ServerlessFedi.Costs;

/// <summary>Who serves media files to other servers: Bicep's <c>mediaDelivery</c> parameter.</summary>
public enum MediaDelivery
{
    /// <summary>The app's <c>/media/...</c> route: an HTTP execution and a blob read per download.</summary>
    App,

    /// <summary>The <c>media</c> container's blob endpoint: a blob read per download, no execution.</summary>
    Blob,

    /// <summary>Front Door in front of the container: cached at the edge, a blob read per cache miss.</summary>
    FrontDoor,
}
