using ServerlessFedi.Lists;

namespace ServerlessFedi.Statuses;

/// <summary>
/// Puts a status into a local account's home timeline and into the account's lists that hold the author (Mastodon's
/// FeedManager): a list's <c>replies_policy</c> decides whether replies to others go in (<c>none</c>: never; <c>list</c>:
/// only replies to list members; <c>followed</c>: all); an <c>exclusive</c> list keeps its members' posts out of home.
/// Storage: 1 range query (lists holding the author) + 1 upsert, + per such list 1 read, 1 upsert (and 1 query for
/// <c>list</c> replies).
/// </summary>
public sealed class HomeFeed(TimelineStore timelines, ListStore lists)
{
    public static string ListTimeline(string listId) => $"list-{listId}";

    public async Task DeliverAsync(string accountId, Status status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        var exclusive = false;
        if (status.AccountId != accountId)
        {
            foreach (var listId in await lists.ListsContainingAsync(accountId, status.AccountId, cancellationToken))
            {
                if (await lists.GetAsync(accountId, listId, cancellationToken) is not { } list)
                {
                    continue;
                }

                exclusive |= list.Exclusive;
                var isReplyToOther = status.InReplyToAccountId is { } parentAuthor && parentAuthor != status.AccountId;
                var include = !isReplyToOther || list.RepliesPolicy switch
                {
                    "none" => false,
                    "list" => ContainsList(await lists.ListsContainingAsync(accountId, status.InReplyToAccountId!, cancellationToken), listId),
                    _ => true,
                };
                if (include)
                {
                    await timelines.AddAsync(ListTimeline(listId), status.Id, status.AccountId, cancellationToken);
                }
            }
        }

        if (!exclusive)
        {
            await timelines.AddAsync(TimelineStore.Home(accountId), status.Id, status.AccountId, cancellationToken);
        }
    }

    /// <summary>Takes the status out of the account's home timeline and its lists holding the author (1 range query + 1 delete per timeline).</summary>
    public async Task RemoveAsync(string accountId, Status status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        foreach (var listId in await lists.ListsContainingAsync(accountId, status.AccountId, cancellationToken))
        {
            await timelines.RemoveAsync(ListTimeline(listId), status.Id, cancellationToken);
        }

        await timelines.RemoveAsync(TimelineStore.Home(accountId), status.Id, cancellationToken);
    }

    private static bool ContainsList(IReadOnlyList<string> listsOfParentAuthor, string listId) => listsOfParentAuthor.Contains(listId, StringComparer.Ordinal);
}
