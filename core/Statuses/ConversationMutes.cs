using ServerlessFedi.Federation;

namespace ServerlessFedi.Statuses;

/// <summary>
/// Muted conversations (docs: methods/statuses#mute, Mastodon's <c>mute_conversation</c>): a local account that muted a
/// thread gets no notifications about its statuses (mentions, boosts, favourites, polls, edits), and its statuses show
/// <c>muted</c>. The thread is the status's <see cref="Status.ConversationRoot"/>. Each account's set is kept in memory per
/// process for <see cref="Lifetime"/> and replaced in-process when the account changes it, so another instance may
/// notify for up to that long after a mute. Storage: 1 range query per account per <see cref="Lifetime"/> per process;
/// a check against a non-empty set + 1 status read; mute and unmute 1 write each.
/// </summary>
public sealed class ConversationMutes(ConversationMuteStore store, StatusStore statuses, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    public const int Capacity = 10_000;

    private readonly ExpiringCache<IReadOnlySet<string>> _sets = new(Lifetime, Capacity, time);

    /// <summary>The root ids of the conversations <paramref name="accountId"/> muted.</summary>
    public Task<IReadOnlySet<string>> OfAsync(string accountId, CancellationToken cancellationToken) =>
        _sets.GetOrLoadAsync(accountId, () => store.ListAsync(accountId, cancellationToken));

    /// <summary>Whether <paramref name="accountId"/> muted the conversation of the status <paramref name="statusId"/> (no status read when it muted none).</summary>
    public async Task<bool> MutesAsync(string accountId, string statusId, CancellationToken cancellationToken)
    {
        var roots = await OfAsync(accountId, cancellationToken);
        if (roots.Count == 0)
        {
            return false;
        }

        return roots.Contains(statusId) || await statuses.GetAsync(statusId, cancellationToken) is { } status && roots.Contains(status.ConversationRoot);
    }

    /// <summary>Mutes or unmutes the conversation of <paramref name="status"/> for <paramref name="accountId"/>.</summary>
    public async Task SetAsync(string accountId, Status status, bool muted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (muted)
        {
            await store.MuteAsync(accountId, status.ConversationRoot, cancellationToken);
        }
        else
        {
            await store.UnmuteAsync(accountId, status.ConversationRoot, cancellationToken);
        }

        _sets.Set(accountId, await store.ListAsync(accountId, cancellationToken));
    }
}
