using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Lists;
using ServerlessFedi.Notifications;

namespace ServerlessFedi.Statuses;

/// <summary>
/// Where a status shows up, local or remote, and the notifications it causes: the one place that writes timelines and
/// status notifications (fan-out on write, as Mastodon's <c>FeedManager</c> and <c>NotifyService</c>). The home and lists of
/// local followers (<see cref="PlaceInHomeAsync"/>), the author's home, <c>public-local</c>/<c>public-remote</c> and tag
/// timelines for public statuses, direct statuses only to the mentioned, boosts to the booster's followers, mentions and
/// updates through the <see cref="Notifier"/>. A mentioned account that hides the author (block, mute, domain block) gets
/// neither the notification nor a direct status in home; for followers that rule is applied when home is read (the
/// renderer's listing filter), because checking it here would cost 2-3 reads per follower and post.
/// Every write is an idempotent upsert, so a repeated placement (a retried message, the post guard) is harmless.
/// Storage: 1 upsert per timeline; a home placement as <see cref="PlaceInHomeAsync"/>; a mention the <see cref="Notifier"/>'s cost.
/// </summary>
public sealed class StatusSurface(TimelineStore timelines, ListStore lists, Notifier notifier, InteractionStore interactions, InstanceUrls urls, FollowedTagStore followedTags, Polls.PollStore polls, ConversationStore conversations)
{
    /// <summary>Boosters notified of an edit; more would make one edit an unbounded number of writes.</summary>
    public const int MaxNotifiedReblogs = 100;

    /// <summary>
    /// What a local post's request (and its guard's completion) writes besides the status: its poll's rows (+2 writes; the
    /// answer shows the poll) and its local mentions (a direct post also touches its author's conversation). Its timelines
    /// are its fan-out's (<see cref="PlaceLocalTimelinesAsync"/>), as Mastodon's home feed inserts and public streams are Sidekiq jobs'.
    /// </summary>
    public async Task PlaceLocalAsync(Status status, LocalAccount author, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(author);
        if (status.Poll is { } poll)
        {
            await polls.AddAsync(status.Id, poll, null, cancellationToken);
        }

        var from = Sender(author);
        foreach (var mention in status.Mentions.Where(m => m.AccountId is not null && m.AccountId != author.Id))
        {
            await MentionAsync(mention.AccountId!, status, from, status.Id, cancellationToken);
        }

        if (status.Visibility == Visibility.Direct)
        {
            await conversations.TouchAsync(author.Id, status.ConversationRoot, status.Id, Participants(status), unread: false, cancellationToken);
        }
    }

    /// <summary>
    /// A local post's timelines, written by the first message of its fan-out (idempotent; the request's answer shows none
    /// of them, and Mastodon apps insert their own post themselves): its author's home and, when public,
    /// <c>public-local</c>, its hashtags' timelines and the homes of the local accounts following those hashtags
    /// (<see cref="PlaceTagFollowersAsync"/>). Storage: 1 upsert (home) + for a public post 1 upsert (<c>public-local</c>)
    /// + per hashtag 1 upsert and <see cref="PlaceTagFollowersAsync"/>'s cost.
    /// </summary>
    public async Task PlaceLocalTimelinesAsync(Status status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        await timelines.AddAsync(TimelineStore.Home(status.AccountId), status.Id, status.AccountId, cancellationToken);
        await PlacePublicAsync(status, TimelineStore.PublicLocal, status.Tags, tagFollowers: true, cancellationToken);
    }

    /// <summary>
    /// A local edit: hashtags added to a public status join their timelines, newly mentioned local accounts are notified,
    /// and local accounts that boosted it get an <c>update</c> notification (Mastodon tells boosters of an edit; remote
    /// boosters hear the Update). 1 range query (boosters) + a notification each.
    /// </summary>
    public async Task PlaceEditAsync(Status before, Status updated, LocalAccount author, DateTimeOffset editedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(author);
        await PlacePublicAsync(updated, null, updated.Tags.Except(before.Tags, StringComparer.Ordinal), tagFollowers: false, cancellationToken);

        var from = Sender(author);
        var mentionedBefore = before.Mentions.Select(m => m.AccountId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var mention in updated.Mentions.Where(m => m.AccountId is not null && m.AccountId != author.Id && !mentionedBefore.Contains(m.AccountId)))
        {
            await MentionAsync(mention.AccountId!, updated, from, updated.Id, cancellationToken);
        }

        foreach (var (actorId, accountId) in await interactions.ListActorsAsync(InteractionKind.Reblog, updated.Id, MaxNotifiedReblogs, cancellationToken))
        {
            if (urls.UsernameOfActor(actorId) is not null)
            {
                await notifier.NotifyAsync(accountId, NotificationType.Update, from, updated.Id, $"{updated.Id}-{editedAt.ToUnixTimeMilliseconds()}", cancellationToken);
            }
        }
    }

    /// <summary>
    /// A remote status from an inbound Create by <paramref name="authorActorId"/>: mentions of <paramref name="recipientIds"/>,
    /// the homes of the author's <paramref name="localFollowers"/> (a direct status only those it mentions),
    /// <c>public-remote</c> and tags when public.
    /// </summary>
    public async Task PlaceRemoteAsync(Status status, string authorActorId, IReadOnlyCollection<string> recipientIds, IReadOnlyList<string> localFollowers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(recipientIds);
        ArgumentNullException.ThrowIfNull(localFollowers);
        var from = NotificationSender.Remote(authorActorId);
        var reached = new HashSet<string>(StringComparer.Ordinal);
        foreach (var recipientId in recipientIds)
        {
            if (await notifier.NotifyAsync(recipientId, NotificationType.Mention, from, status.Id, status.Uri!, cancellationToken) is not NotificationOutcome.Hidden)
            {
                reached.Add(recipientId);
            }
        }

        foreach (var followerId in localFollowers)
        {
            if (status.Visibility != Visibility.Direct || reached.Contains(followerId))
            {
                await PlaceInHomeAsync(followerId, status, cancellationToken);
            }
        }

        if (status.Visibility == Visibility.Direct)
        {
            foreach (var recipientId in reached)
            {
                await timelines.AddAsync(TimelineStore.Home(recipientId), status.Id, status.AccountId, cancellationToken);
                await conversations.TouchAsync(recipientId, status.ConversationRoot, status.Id, Participants(status), unread: true, cancellationToken);
            }
        }

        await PlacePublicAsync(status, TimelineStore.PublicRemote, status.Tags, tagFollowers: true, cancellationToken);
    }

    /// <summary>A remote status stored because a boost named it: only its tag timelines (when public), as it reached nobody's home itself.</summary>
    public Task PlaceBoostedAsync(Status status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        return PlacePublicAsync(status, null, status.Tags, tagFollowers: true, cancellationToken);
    }

    /// <summary>
    /// A remote boost into the homes and lists of the booster's <paramref name="localFollowers"/> that show its boosts; the
    /// boosted post's author is left out (told by a notification instead; Mastodon keeps boosts of own posts out of home).
    /// </summary>
    public async Task PlaceBoostAsync(Status boost, Status original, IReadOnlyList<string> localFollowers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(boost);
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(localFollowers);
        foreach (var followerId in localFollowers.Where(f => f != original.AccountId))
        {
            await PlaceInHomeAsync(followerId, boost, cancellationToken);
        }
    }

    /// <summary>An undone boost leaves the homes and lists of the booster's followers (1 range query + 1 delete per timeline each).</summary>
    public async Task RemoveBoostAsync(Status boost, IReadOnlyList<string> localFollowers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(boost);
        ArgumentNullException.ThrowIfNull(localFollowers);
        foreach (var followerId in localFollowers)
        {
            foreach (var listId in await lists.ListsContainingAsync(followerId, boost.AccountId, cancellationToken))
            {
                await timelines.RemoveAsync(TimelineStore.List(listId), boost.Id, cancellationToken);
            }

            await timelines.RemoveAsync(TimelineStore.Home(followerId), boost.Id, cancellationToken);
        }
    }

    /// <summary>
    /// A status into a local account's home and into its lists that hold the author (Mastodon's FeedManager): a list's
    /// <c>replies_policy</c> decides whether replies to others go in (<c>none</c>: never; <c>list</c>: only replies to list
    /// members; <c>followed</c>: all); an <c>exclusive</c> list keeps its members' posts out of home.
    /// Storage: 1 range query (lists holding the author) + 1 upsert, + per such list 1 read, 1 upsert (and 1 query for
    /// <c>list</c> replies).
    /// </summary>
    public async Task PlaceInHomeAsync(string accountId, Status status, CancellationToken cancellationToken)
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
                if (await ListTakesAsync(list, status, cancellationToken))
                {
                    await timelines.AddAsync(TimelineStore.List(listId), status.Id, status.AccountId, cancellationToken);
                }
            }
        }

        if (!exclusive)
        {
            await timelines.AddAsync(TimelineStore.Home(accountId), status.Id, status.AccountId, cancellationToken);
        }
    }

    private async Task<bool> ListTakesAsync(AccountList list, Status status, CancellationToken cancellationToken)
    {
        var isReplyToOther = status.InReplyToAccountId is { } parentAuthor && parentAuthor != status.AccountId;
        return !isReplyToOther || list.RepliesPolicy switch
        {
            "none" => false,
            "list" => (await lists.ListsContainingAsync(list.OwnerId, status.InReplyToAccountId!, cancellationToken)).Contains(list.Id, StringComparer.Ordinal),
            _ => true,
        };
    }

    /// <summary>
    /// A public status into <paramref name="publicTimeline"/> (when given) and its hashtags' timelines, and with
    /// <paramref name="tagFollowers"/> into the homes of the local accounts following one of those hashtags
    /// (<see cref="PlaceTagFollowersAsync"/>). A local post's are placed by its fan-out (the queue, not the request); an edit
    /// adds its new hashtags' timelines only, as Mastodon does not redistribute an edit.
    /// Storage: 1 upsert per timeline (+ <see cref="PlaceTagFollowersAsync"/>).
    /// </summary>
    private async Task PlacePublicAsync(Status status, string? publicTimeline, IEnumerable<string> tags, bool tagFollowers, CancellationToken cancellationToken)
    {
        if (status.Visibility != Visibility.Public)
        {
            return;
        }

        if (publicTimeline is not null)
        {
            await timelines.AddAsync(publicTimeline, status.Id, status.AccountId, cancellationToken);
        }

        var placed = tags.ToList();
        foreach (var tag in placed)
        {
            await timelines.AddAsync(TimelineStore.Tag(tag), status.Id, status.AccountId, cancellationToken);
        }

        if (tagFollowers)
        {
            await PlaceTagFollowersAsync(status with { Tags = placed }, cancellationToken);
        }
    }

    /// <summary>
    /// A public status into the homes of local accounts following one of its hashtags (docs: methods/tags#follow; not the
    /// author's, at most <see cref="FollowedTagStore.MaxFollowersPlaced"/> per tag; blocks and mutes apply when home is
    /// read, as for followers). Idempotent. Storage: per hashtag 1 range query + 1 upsert per follower of the tag.
    /// </summary>
    private async Task PlaceTagFollowersAsync(Status status, CancellationToken cancellationToken)
    {
        var placed = new HashSet<string>(StringComparer.Ordinal) { status.AccountId };
        foreach (var tag in status.Tags)
        {
            foreach (var follower in await followedTags.FollowersAsync(tag, cancellationToken))
            {
                if (placed.Add(follower))
                {
                    await timelines.AddAsync(TimelineStore.Home(follower), status.Id, status.AccountId, cancellationToken);
                }
            }
        }
    }

    /// <summary>
    /// A mention notification; a direct status also goes into the home and the conversations (unread) of a recipient who
    /// does not hide the author.
    /// </summary>
    private async Task MentionAsync(string recipientId, Status status, NotificationSender from, string causeId, CancellationToken cancellationToken)
    {
        var outcome = await notifier.NotifyAsync(recipientId, NotificationType.Mention, from, status.Id, causeId, cancellationToken);
        if (status.Visibility == Visibility.Direct && outcome is not NotificationOutcome.Hidden)
        {
            await timelines.AddAsync(TimelineStore.Home(recipientId), status.Id, status.AccountId, cancellationToken);
            await conversations.TouchAsync(recipientId, status.ConversationRoot, status.Id, Participants(status), unread: true, cancellationToken);
        }
    }

    /// <summary>Everyone a direct status involves, by API id: its author and the accounts it mentions.</summary>
    private static IEnumerable<string> Participants(Status status) =>
        status.Mentions.Select(m => m.AccountId).OfType<string>().Prepend(status.AccountId).Distinct(StringComparer.Ordinal);

    private NotificationSender Sender(LocalAccount author) => new(urls.Actor(author.Username), author.Id);
}
