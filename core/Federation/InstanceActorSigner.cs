using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Remote;
using ServerlessFedi.Signatures;

namespace ServerlessFedi.Federation;

/// <summary>Signs fetches that no account makes with the instance actor's key (authorised-fetch servers refuse unsigned GETs).</summary>
public sealed class InstanceActorSigner(InstanceActorStore instanceActor, InstanceUrls urls, TimeProvider time)
{
    private SigningKeySigner? _signer;

    public async Task<IRequestSigner> GetAsync(CancellationToken cancellationToken)
    {
        if (_signer is { } cached)
        {
            return cached;
        }

        var actor = await instanceActor.GetOrCreateAsync(cancellationToken);
        return _signer = new SigningKeySigner(new SigningKey(urls.InstanceActorKey, actor.RsaPrivateKeyPem), time);
    }
}
