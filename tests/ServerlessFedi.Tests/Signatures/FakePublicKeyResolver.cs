using ServerlessFedi.Signatures;

namespace ServerlessFedi.Tests.Signatures;

/// <summary>Serves fixed keys by keyId; a key may be replaced by another on refresh (rotation). Counts lookups and refreshes.</summary>
internal sealed class FakePublicKeyResolver : IPublicKeyResolver
{
    private readonly Dictionary<string, PublicKeyMaterial> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PublicKeyMaterial> _afterRefresh = new(StringComparer.Ordinal);

    public int Lookups { get; private set; }

    public int Refreshes { get; private set; }

    public FakePublicKeyResolver Add(PublicKeyMaterial key, PublicKeyMaterial? afterRefresh = null)
    {
        _keys[key.KeyId] = key;
        if (afterRefresh is not null)
        {
            _afterRefresh[key.KeyId] = afterRefresh;
        }

        return this;
    }

    public Task<PublicKeyMaterial?> ResolveAsync(string keyId, bool refresh, CancellationToken cancellationToken)
    {
        Lookups++;
        if (refresh)
        {
            Refreshes++;
            if (_afterRefresh.TryGetValue(keyId, out var rotated))
            {
                _keys[keyId] = rotated;
            }
        }

        return Task.FromResult(_keys.GetValueOrDefault(keyId));
    }
}
