using ServerlessFedi.Signatures;

namespace ServerlessFedi.Tests.Federation;

/// <summary>Resolves keyIds from a fixed table, as a remote server would after fetching our actor document.</summary>
internal sealed class StaticKeyResolver(params PublicKeyMaterial[] keys) : IPublicKeyResolver
{
    public Task<PublicKeyMaterial?> ResolveAsync(string keyId, bool refresh, CancellationToken cancellationToken) =>
        Task.FromResult(keys.FirstOrDefault(k => k.KeyId == keyId));
}
