using ServerlessFedi.Accounts;
using ServerlessFedi.Remote;

namespace ServerlessFedi.Federation;

/// <summary>
/// Who signs a delivery: the local account (null for the instance actor) as read from storage, and its request signer.
/// <see cref="Deleted"/>: the account was deleted and sends nothing but Deletes.
/// </summary>
public sealed record DeliverySender(LocalAccount? Account, IRequestSigner Signer)
{
    public bool Deleted => Account?.DeletedAt is not null;
}
