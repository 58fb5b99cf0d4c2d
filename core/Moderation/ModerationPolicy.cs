using ServerlessFedi.Federation;
using ServerlessFedi.Remote;

namespace ServerlessFedi.Moderation;

/// <summary>
/// The operator's moderation as every part of the app asks it: the rules read from <see cref="ModerationStore"/>, kept per
/// process for at most <see cref="CacheLifetime"/> (so a block made by the CLI reaches every instance of a scaled-out app
/// within that time; a change made through this process applies at once). It is also the <see cref="RemoteClient"/>'s
/// host policy: nothing is fetched from or delivered to a suspended server.
/// Storage: <see cref="ModerationStore.LoadAsync"/> at most once per <see cref="CacheLifetime"/> per process; callers
/// that find the rules expired at once share one load (32 inbound activities at once read them once, not 32 times).
/// </summary>
public sealed class ModerationPolicy(ModerationStore store, TimeProvider time) : IRemoteHostPolicy
{
    /// <summary>How long a process trusts the rules it read (Mastodon reads its domain blocks from a cache too).</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);

    private const string RulesKey = "rules";

    private readonly ExpiringCache<ModerationRules> _rules = new(CacheLifetime, 1, time);

    public Task<ModerationRules> CurrentAsync(CancellationToken cancellationToken) =>
        _rules.GetOrLoadAsync(RulesKey, () => store.LoadAsync(cancellationToken));

    /// <summary>Forgets the rules read (and a read in flight), after this process changed them.</summary>
    public void Invalidate() => _rules.Remove(RulesKey);

    public async ValueTask CheckAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if ((await CurrentAsync(cancellationToken)).SuspendsServerOf(url))
        {
            throw new RemoteFetchException(RemoteFetchFailure.SuspendedDomain, $"Refused {url.Host}: the operator suspended its domain.");
        }
    }
}
