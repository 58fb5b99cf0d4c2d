namespace ServerlessFedi.Remote;

/// <summary>
/// A complete remote HTTP response, whatever its status. <see cref="FinalUrl"/> is the URL after followed redirects;
/// <see cref="Location"/> is the response's Location header resolved against it (an unfollowed redirect, or a 201's resource).
/// </summary>
public sealed record RemoteResponse(int Status, Uri FinalUrl, string? ContentType, byte[] Body, TimeSpan? RetryAfter, string? Location)
{
    public bool IsSuccess => Status is >= 200 and <= 299;
}
