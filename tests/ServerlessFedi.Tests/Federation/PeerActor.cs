namespace ServerlessFedi.Tests.Federation;

/// <summary>An actor served by <see cref="FakePeer"/>, with the private key the test signs its activities with.</summary>
internal sealed record PeerActor(string Id, string KeyId, string Inbox, string? SharedInbox, string PrivateKeyPem, string PublicKeyPem)
{
    public string InboxPath => new Uri(Inbox).AbsolutePath;

    /// <summary>The FEP-521a key published in <c>assertionMethod</c>, for FEP-8b32 proofs.</summary>
    public string Ed25519KeyId => Id + "#ed25519-key";

    /// <summary>Raw 32-byte seed and public key; generated per actor (Ed25519 keys cost microseconds).</summary>
    public (byte[] Private, byte[] Public) Ed25519 { get; init; } = NewEd25519();

    private static (byte[] Private, byte[] Public) NewEd25519()
    {
        var keys = ServerlessFedi.Crypto.ActorKeys.GenerateEd25519();
        return (keys.Private, keys.Public);
    }
}
