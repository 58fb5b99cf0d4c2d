using System.Globalization;
using ServerlessFedi.Remote;

namespace ServerlessFedi.Tests.Remote;

/// <summary>Stands in for the HTTP-signature signer: stamps a numbered header and remembers each request it signed.</summary>
internal sealed class RecordingSigner : IRequestSigner
{
    public const string HeaderName = "X-Test-Signature";

    public List<(string Method, Uri Url, int? BodyLength)> Signed { get; } = [];

    public void Sign(HttpRequestMessage request, byte[]? body)
    {
        Signed.Add((request.Method.Method, request.RequestUri!, body?.Length));
        request.Headers.Add(HeaderName, Signed.Count.ToString(CultureInfo.InvariantCulture));
    }
}
