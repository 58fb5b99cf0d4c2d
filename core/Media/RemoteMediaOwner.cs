namespace ServerlessFedi.Media;

/// <summary>The rows a proxied remote file's URL is read from (the <c>{owner}</c> segment of <c>/media-proxy/{owner}/{id}/{hash}</c>).</summary>
public static class RemoteMediaOwner
{
    /// <summary>A remote account (by its API id): its avatar and header.</summary>
    public const string Accounts = "accounts";

    /// <summary>A remote status (by its id): its attachments, their previews and its custom emoji.</summary>
    public const string Statuses = "statuses";
}
