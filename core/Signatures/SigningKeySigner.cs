using ServerlessFedi.Remote;

namespace ServerlessFedi.Signatures;

/// <summary>Signs requests with one actor's key at the time <paramref name="time"/> gives, for the remote client.</summary>
public sealed class SigningKeySigner(SigningKey key, TimeProvider time) : IRequestSigner
{
    // One signer for the process, so each actor's key is imported once however many of these are created.
    private static readonly HttpSignatureSigner Signer = new();

    public void Sign(HttpRequestMessage request, byte[]? body) => Signer.Sign(request, body, key, time.GetUtcNow());
}
