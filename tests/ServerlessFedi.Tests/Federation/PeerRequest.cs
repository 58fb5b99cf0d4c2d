using System.Text;
using ServerlessFedi.Signatures;

namespace ServerlessFedi.Tests.Federation;

/// <summary>A request as <see cref="FakePeer"/> received it: lower-case header names, each header's values joined with <c>", "</c>.</summary>
internal sealed record PeerRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";

    /// <summary>What an inbox at <paramref name="authority"/> verifies: the request exactly as it arrived.</summary>
    public SignatureRequest ToSignatureRequest(string authority, string scheme = "http") =>
        new(Method, Path, Headers, Body, authority, scheme);
}
