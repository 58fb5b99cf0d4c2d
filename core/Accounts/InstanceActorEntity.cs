using ServerlessFedi.Storage;

namespace ServerlessFedi.Accounts;

internal sealed class InstanceActorEntity : StoredEntity
{
    public DateTimeOffset CreatedAt { get; set; }
    public string RsaPrivateKeyPem { get; set; } = "";
    public string RsaPublicKeyPem { get; set; } = "";
}
