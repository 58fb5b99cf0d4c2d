using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace ServerlessFedi.Signatures;

/// <summary>
/// Imported RSA keys by PEM, pooled: importing a PEM costs far more than one verification, and an <see cref="RSA"/> instance
/// is not documented as safe for concurrent use, so each caller rents one for the duration of a single operation.
/// The number of distinct PEMs is bounded (remote keys are unbounded); past the bound the cache starts over.
/// </summary>
internal sealed class RsaKeyPool(int maxKeys = 4096)
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<RSA>> _pools = new(StringComparer.Ordinal);
    private readonly int _maxPerKey = Math.Max(2, Environment.ProcessorCount * 2);

    /// <summary>Rents the key for <paramref name="pem"/>; throws <see cref="ArgumentException"/> or <see cref="CryptographicException"/> for an unusable PEM.</summary>
    public Lease Rent(string pem)
    {
        if (_pools.TryGetValue(pem, out var pool) && pool.TryDequeue(out var pooled))
        {
            return new Lease(pooled, pool, _maxPerKey);
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }

        if (pool is null)
        {
            if (_pools.Count >= maxKeys)
            {
                Clear();
            }

            pool = _pools.GetOrAdd(pem, _ => []);
        }

        return new Lease(rsa, pool, _maxPerKey);
    }

    private void Clear()
    {
        foreach (var key in _pools.Keys)
        {
            if (_pools.TryRemove(key, out var removed))
            {
                while (removed.TryDequeue(out var rsa))
                {
                    rsa.Dispose();
                }
            }
        }
    }

    /// <summary>A rented key; disposing returns it to its pool.</summary>
    public readonly struct Lease(RSA key, ConcurrentQueue<RSA> pool, int maxPerKey) : IDisposable
    {
        public RSA Key { get; } = key;

        public void Dispose()
        {
            if (pool.Count < maxPerKey)
            {
                pool.Enqueue(Key);
            }
            else
            {
                Key.Dispose();
            }
        }
    }
}
