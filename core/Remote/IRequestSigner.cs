namespace ServerlessFedi.Remote;

/// <summary>Signs an outgoing request in place (adds Date, Host, Digest and Signature headers as the scheme requires).</summary>
public interface IRequestSigner
{
    void Sign(HttpRequestMessage request, byte[]? body);
}
