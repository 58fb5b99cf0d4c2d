namespace ServerlessFedi.Tests.Federation;

/// <summary>An actor served by <see cref="FakePeer"/>, with the private key the test signs its activities with.</summary>
internal sealed record PeerActor(string Id, string KeyId, string Inbox, string? SharedInbox, string PrivateKeyPem, string PublicKeyPem)
{
    public string InboxPath => new Uri(Inbox).AbsolutePath;
}
