using ServerlessFedi.Accounts;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Polls;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// What a page of statuses shows beyond the statuses and their authors, read per page for <see cref="StatusRenderer"/>:
/// the viewer's marks (1 range query, always fresh: flags are exact) and muted conversations (<see cref="ConversationMutes"/>, cached), and the polls with their counts and the viewer's votes (per poll 1 point read,
/// +1 for a signed-in viewer, all in parallel; both kept per process for <see cref="PollStore.RecentLifetime"/>), and
/// what applies to a signed-in viewer quoting each (<see cref="Quotes.QuotePermissions"/>: storage only for statuses
/// whose policy names followers or followed accounts).
/// </summary>
public sealed class StatusLookups(InteractionStore interactions, ConversationMutes conversationMutes, PollStore polls, PollMapper mapper, Quotes.QuotePermissions quotes)
{
    /// <summary><c>quote_approval.current_user</c> of each status for <paramref name="viewer"/>, by status id; empty for no viewer.</summary>
    public Task<IReadOnlyDictionary<string, Quotes.QuoteDecision>> QuoteDecisionsAsync(IEnumerable<Status> statuses, LocalAccount? viewer, CancellationToken cancellationToken) =>
        quotes.DecideAllAsync(statuses, viewer, cancellationToken);

    /// <summary>
    /// The viewer's favourites, boosts, bookmarks and pins among <paramref name="statuses"/> (boosted originals included),
    /// and the roots of the conversations it muted (<c>muted</c>).
    /// </summary>
    public async Task<(IReadOnlyDictionary<string, HashSet<InteractionKind>> Marks, IReadOnlySet<string> MutedConversations)> MarksAsync(string viewerId, IReadOnlyCollection<Status> statuses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var marks = interactions.GetMarksAsync(viewerId, statuses.Select(s => s.Id).ToList(), cancellationToken);
        var muted = conversationMutes.OfAsync(viewerId, cancellationToken);
        await Task.WhenAll(marks, muted);
        return (marks.Result, muted.Result);
    }

    /// <summary>The polls of those <paramref name="statuses"/> that carry one, by status id, as <paramref name="viewer"/> sees them.</summary>
    public async Task<Dictionary<string, Entities.Poll>> PollsAsync(IEnumerable<Status> statuses, LocalAccount? viewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var withPolls = statuses.Where(s => s.Poll is not null).DistinctBy(s => s.Id).ToList();
        if (withPolls.Count == 0)
        {
            return new(StringComparer.Ordinal);
        }

        var shown = await Task.WhenAll(withPolls.Select(async s => (s.Id, Poll: await PollAsync(s, viewer, cancellationToken))));
        return shown.ToDictionary(p => p.Id, p => p.Poll!, StringComparer.Ordinal);
    }

    /// <summary>The poll of <paramref name="status"/> as <paramref name="viewer"/> sees it; null when it has none.</summary>
    public async Task<Entities.Poll?> PollAsync(Status status, LocalAccount? viewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.Poll is not { } poll)
        {
            return null;
        }

        var tally = polls.GetTallyRecentAsync(status.Id, cancellationToken);
        var own = viewer is null ? Task.FromResult<IReadOnlyList<int>?>(null) : polls.GetChoicesRecentAsync(status.Id, PollVoter.Local(viewer.Id), cancellationToken);
        var ownVotes = viewer is null ? null : await own ?? [];
        return mapper.ToPoll(status.Id, poll, await tally, ownVotes, isAuthor: viewer is not null && viewer.Id == status.AccountId);
    }
}
