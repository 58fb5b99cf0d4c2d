using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Statuses;

/// <summary>
/// Stores remote statuses parsed from ActivityPub notes, for both ways they arrive: created (inbound <c>Create</c>,
/// <see cref="CreateAsync"/>) and boosted (an <c>Announce</c> naming a note we fetched, <see cref="StoreBoostedAsync"/>);
/// and their author's edits (<see cref="UpdateAsync"/>) and deletions (<see cref="DeleteAsync"/>).
/// Mentions of local accounts get their local names and ids, remote mentions their API ids; a reply to a status we store
/// is linked to it and counted; then the <see cref="StatusSurface"/> places it. Federation parses, this stores: no other
/// class writes remote status rows.
/// Storage: the status 3 upserts (4 for a reply: its parent's reply index) + 1 point read (URI index, created only) +
/// 1-2 reads per local account named (username index, account) + for a reply to a stored status 1 read (its id by URI,
/// when remote) + 1 read + the count (1 read + 2 merges); created: 1 range query (local followers) + the surface's placement;
/// a Question + its poll's rows (<see cref="Polls.PollStore.AddAsync"/>: 2 writes), its counts on an Update (1 read + 1 merge);
/// a link not yet previewed + 1 queue send (<see cref="Cards.CardRequests"/>).
/// </summary>
public sealed class RemoteStatusIngest(StatusStore statuses, AccountStore accounts, FollowingStore following, StatusSurface surface, InstanceUrls urls, TimeProvider time, Polls.PollStore polls, Cards.CardRequests cards)
{
    /// <summary>Local accounts a note's addressing may name that are looked up; more are ignored.</summary>
    public const int MaxAddressedAccounts = 20;

    /// <summary>
    /// A note by <paramref name="authorActorId"/> from its Create, addressed (<c>to</c>/<c>cc</c>) to <paramref name="addressed"/>.
    /// Kept when it concerns a local account: one it mentions or addresses, the author of the status it answers, a local
    /// follower of its author, or a status we store that it replies to. The same note twice has effect once.
    /// </summary>
    public async Task<RemoteIngestResult> CreateAsync(Status parsed, string authorActorId, IReadOnlySet<string> addressed, CancellationToken cancellationToken, Polls.PollTally? pollTally = null)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(addressed);
        if (await statuses.GetIdByUriAsync(parsed.Uri!, cancellationToken) is not null)
        {
            return RemoteIngestResult.AlreadyStored;
        }

        var parent = await ParentOfAsync(parsed, cancellationToken);
        var recipients = new Dictionary<string, LocalAccount>(StringComparer.Ordinal);
        var mentions = await MentionsAsync(parsed, recipients, cancellationToken);

        // A reply names its parent's author in the tags, the addressing and inReplyTo: read each account once.
        foreach (var username in addressed.Select(urls.UsernameOfActor).OfType<string>().Take(MaxAddressedAccounts))
        {
            if (!recipients.Values.Any(r => r.Username == username) && await accounts.GetByUsernameAsync(username, cancellationToken) is { } local)
            {
                recipients[local.Id] = local;
            }
        }

        if (parent is { IsLocal: true } && !recipients.ContainsKey(parent.AccountId) && await accounts.GetByIdAsync(parent.AccountId, cancellationToken) is { } parentAuthor)
        {
            recipients[parentAuthor.Id] = parentAuthor;
        }

        var localFollowers = await following.GetLocalFollowersOfAsync(authorActorId, cancellationToken);
        // A reply to a status we store is kept too (it counts in the parent's replies and shows in its context).
        if (recipients.Count == 0 && localFollowers.Count == 0 && parent is null)
        {
            return RemoteIngestResult.Unrelated;
        }

        var status = await StoreAsync(parsed, mentions, parent, cancellationToken);
        if (status.Poll is { } poll)
        {
            await polls.AddAsync(status.Id, poll, pollTally, cancellationToken);
        }

        await surface.PlaceRemoteAsync(status, authorActorId, recipients.Keys, localFollowers, cancellationToken);
        await cards.RequestAsync(status, cancellationToken);
        return RemoteIngestResult.Stored;
    }

    /// <summary>A note fetched because a boost named it (its URI is not stored yet): stored as it is, in its tag timelines only.</summary>
    public async Task<Status> StoreBoostedAsync(Status parsed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var parent = await ParentOfAsync(parsed, cancellationToken);
        var status = await StoreAsync(parsed, await MentionsAsync(parsed, null, cancellationToken), parent, cancellationToken);
        await surface.PlaceBoostedAsync(status, cancellationToken);
        await cards.RequestAsync(status, cancellationToken);
        return status;
    }

    /// <summary>
    /// The author's edit of a note we store (parsed from its <c>Update</c>), applied by <see cref="RemoteNoteParser.ApplyEdit"/>
    /// on the stored row's ETag. False when no such live note of that author is stored, or it was edited later than this
    /// version (a late or replayed Update never rolls an edit back). Storage: 1 point read (URI index) + the store's edit
    /// (1 read + 1 conditional replace per attempt + 1-2 upserts).
    /// </summary>
    public async Task<bool> UpdateAsync(Status edited, CancellationToken cancellationToken, Polls.PollTally? pollTally = null)
    {
        ArgumentNullException.ThrowIfNull(edited);
        var existingId = await statuses.GetIdByUriAsync(edited.Uri!, cancellationToken);
        if (existingId is not null && pollTally is not null && edited.Poll is not null)
        {
            // A Question's Update mostly carries new counts (Mastodon's poll-only update): they are not an edit.
            if (await statuses.GetAsync(existingId, cancellationToken) is not { DeletedAt: null } stored || stored.AccountId != edited.AccountId)
            {
                return false;
            }

            await polls.SetCountsAsync(existingId, pollTally, cancellationToken);
            if (stored.ContentHtml == edited.ContentHtml && stored.SpoilerText == edited.SpoilerText && stored.Poll is not null)
            {
                return true;
            }
        }

        if (existingId is null || await statuses.EditRemoteAsync(existingId, stored => RemoteNoteParser.ApplyEdit(stored, edited, time.GetUtcNow()), cancellationToken) is not { } applied)
        {
            return false;
        }

        await cards.RequestAsync(applied, cancellationToken);
        return true;
    }

    /// <summary>
    /// The author deleted the note (or boost) with this ActivityPub id: a stored one becomes a tombstone and leaves its
    /// parent's replies count. False only when the stored one is another actor's (then nothing changes); nothing stored
    /// (the usual case) is true. Storage: 2 point reads (+ 1 merge, 1-2 deletes and the count when stored).
    /// </summary>
    public async Task<bool> DeleteAsync(string? uri, string actorId, CancellationToken cancellationToken)
    {
        var statusId = uri is null ? null : await statuses.GetIdByUriAsync(uri, cancellationToken);
        var status = statusId is null ? null : await statuses.GetAsync(statusId, cancellationToken);
        if (status is null || status.DeletedAt is not null)
        {
            return true;
        }

        if (status.AccountId != RemoteAccountIds.For(actorId))
        {
            return false;
        }

        await RemoveAsync(status, cancellationToken);
        return true;
    }

    /// <summary>
    /// Makes a stored remote status a tombstone that leaves its parent's replies count (its author's Delete, or the
    /// operator's removal). Storage: 1 merge + the parent's count (2).
    /// </summary>
    public async Task RemoveAsync(Status status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        await statuses.MarkDeletedAsync(status, time.GetUtcNow(), cancellationToken);
        if (status.InReplyToId is { } parentId)
        {
            await statuses.AdjustCountsAsync(parentId, replies: -1, cancellationToken: cancellationToken);
        }
    }

    private async Task<Status> StoreAsync(Status parsed, List<StatusMention> mentions, Status? parent, CancellationToken cancellationToken)
    {
        var status = await statuses.AddRemoteAsync(parsed with { Mentions = mentions, InReplyToId = parent?.Id, InReplyToAccountId = parent?.AccountId, ConversationId = parent?.ConversationRoot }, cancellationToken);
        if (parent is not null)
        {
            await statuses.AdjustCountsAsync(parent.Id, replies: +1, cancellationToken: cancellationToken);
        }

        return status;
    }

    /// <summary>The status the note answers when we store it (local, or remote by its URI) and it is not deleted.</summary>
    private async Task<Status?> ParentOfAsync(Status parsed, CancellationToken cancellationToken)
    {
        if (parsed.InReplyToUri is not { } parentUri || (urls.StatusIdOf(parentUri) ?? await statuses.GetIdByUriAsync(parentUri, cancellationToken)) is not { } parentId)
        {
            return null;
        }

        return await statuses.GetAsync(parentId, cancellationToken) is { DeletedAt: null } parent ? parent : null;
    }

    /// <summary>
    /// The note's mentions: local accounts by their local name and id (added to <paramref name="recipients"/> when given),
    /// remote actors with their API ids; a local-looking mention of no account is dropped.
    /// </summary>
    private async Task<List<StatusMention>> MentionsAsync(Status parsed, Dictionary<string, LocalAccount>? recipients, CancellationToken cancellationToken)
    {
        var mentions = new List<StatusMention>();
        foreach (var m in parsed.Mentions)
        {
            if (urls.UsernameOfActor(m.ActorId) is not { } username)
            {
                mentions.Add(m with { AccountId = RemoteAccountIds.For(m.ActorId) });
            }
            else if (await accounts.GetByUsernameAsync(username, cancellationToken) is { } local)
            {
                mentions.Add(m with { Username = local.Username, Domain = null, ProfileUrl = urls.Profile(local.Username), AccountId = local.Id });
                if (recipients is not null)
                {
                    recipients[local.Id] = local;
                }
            }
        }

        return mentions;
    }
}
