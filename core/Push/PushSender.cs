using System.Globalization;
using ServerlessFedi.Configuration;
using ServerlessFedi.Remote;

namespace ServerlessFedi.Push;

/// <summary>
/// Sends one encrypted push (RFC 8030 §5) through the guarded <see cref="RemoteClient"/>: the body in the aes128gcm
/// coding (RFC 8291), VAPID authorization (RFC 8292) with the contact e-mail (or the instance's URL) as subject, a
/// <c>TTL</c> of 48 hours and urgency <c>normal</c>, as Mastodon sends them. Answers the push service's status.
/// Storage: none after the first push of a process (<see cref="VapidKeyStore"/>).
/// </summary>
public sealed class PushSender(VapidKeyStore keys, RemoteClient client, FediOptions options, InstanceUrls urls, TimeProvider time)
{
    /// <summary>How long the push service keeps an undelivered push (RFC 8030 §5.2; Mastodon: 48 hours).</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromHours(48);

    /// <exception cref="RemoteFetchException">The endpoint was refused by the guard or did not answer.</exception>
    public async Task<RemoteResponse> SendAsync(PushSubscription subscription, byte[] plaintext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var vapid = await keys.GetOrCreateAsync(cancellationToken);
        var endpoint = new Uri(subscription.Endpoint);
        var body = WebPushEncryption.Encrypt(plaintext, subscription.P256dh, subscription.Auth);
        var subject = string.IsNullOrWhiteSpace(options.ContactEmail) ? urls.Base : "mailto:" + options.ContactEmail.Trim();
        var headers = new PushHeaders(vapid.Authorization(endpoint, subject, time.GetUtcNow()));
        return await client.PostAsync(endpoint, body, "application/octet-stream", headers, cancellationToken);
    }

    /// <summary>The headers of a push, added on every hop like a signature.</summary>
    private sealed class PushHeaders(string authorization) : IRequestSigner
    {
        public void Sign(HttpRequestMessage request, byte[]? body)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            request.Headers.TryAddWithoutValidation("TTL", ((long)TimeToLive.TotalSeconds).ToString(CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation("Urgency", "normal");
            request.Content?.Headers.TryAddWithoutValidation("Content-Encoding", "aes128gcm");
        }
    }
}
