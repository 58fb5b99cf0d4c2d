namespace ServerlessFedi.Statuses;

/// <summary>
/// What a viewer did to the statuses of a page, for the Status entity's <c>favourited</c>, <c>reblogged</c>,
/// <c>bookmarked</c>, <c>pinned</c> (<see cref="InteractionStore.GetMarksAsync"/>) and <c>muted</c> (the conversation,
/// <see cref="ConversationMutes"/>). Storage: 1 range query + the viewer's muted conversations (cached).
/// </summary>
public sealed class ViewerMarks(InteractionStore interactions, ConversationMutes conversationMutes)
{
    /// <summary>The marks per status id; <paramref name="statuses"/> are the page's statuses (boosted originals included).</summary>
    public async Task<(IReadOnlyDictionary<string, HashSet<InteractionKind>> Marks, IReadOnlySet<string> MutedConversations)> GetAsync(string viewerId, IReadOnlyCollection<Status> statuses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var marks = interactions.GetMarksAsync(viewerId, statuses.Select(s => s.Id).ToList(), cancellationToken);
        var muted = conversationMutes.OfAsync(viewerId, cancellationToken);
        await Task.WhenAll(marks, muted);
        return (marks.Result, muted.Result);
    }
}
