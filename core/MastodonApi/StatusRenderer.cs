using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Moderation;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// Statuses as the API answers them to a viewer (<see cref="StatusMapper"/>'s entities, completed here): authors (local or remote, each looked up once per page), the viewer's
/// marks (<c>favourited</c>, <c>reblogged</c>, <c>bookmarked</c>, <c>pinned</c>: one range query per page), polls
/// (<see cref="StatusLookups"/>: 1-2 point reads per poll) and visibility.
/// Storage per page of n statuses by a authors (credited card authors counted among them), all in one parallel step after the statuses: a lookups (1-2 point reads
/// each) + 1 range query (marks, always fresh); in listing contexts for a signed-in viewer + 4 range queries (filters,
/// blocks, mutes, domain blocks). Authors, boosted originals, polls, filters and the hiding lists are kept per process
/// (<see cref="AccountStore.RecentLifetime"/>, <see cref="StatusStore.RecentLifetime"/>, <see cref="Polls.PollStore.RecentLifetime"/>,
/// <see cref="Filters.FilterStore.RecentLifetime"/>, <see cref="FollowingStore.RecentLifetime"/>) and forgotten when this
/// process changes them, so a warm page costs the marks' range query alone.
/// The operator's moderation applies to every viewer (<see cref="ModerationPolicy"/>, cached): statuses of suspended
/// accounts and servers are never shown, those of silenced ones not in public timelines, and media of servers blocked
/// with <c>reject_media</c> is shown as a link to the remote file (type <c>unknown</c>, no preview).
/// </summary>
public sealed class StatusRenderer(AccountDirectory directory, StatusLookups lookups, StatusVisibility visibility, AccountHiding hiding, Filters.FilterStore filters, StatusMapper mapper, InstanceUrls urls, TimeProvider time, StatusStore statusStore, ModerationPolicy moderation)
{
    /// <summary>Whether <paramref name="viewer"/> may see the status (<see cref="StatusVisibility"/>).</summary>
    public Task<bool> CanSeeAsync(Status status, LocalAccount? viewer, CancellationToken cancellationToken) => visibility.CanSeeAsync(status, viewer, cancellationToken);

    /// <summary>The statuses <paramref name="viewer"/> may see (<see cref="CanSeeAsync"/>), in order.</summary>
    public async Task<List<Status>> VisibleAsync(IEnumerable<Status> candidates, LocalAccount? viewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var all = candidates.ToList();
        var seen = await Task.WhenAll(all.Select(s => CanSeeAsync(s, viewer, cancellationToken)));
        return [.. all.Where((_, i) => seen[i])];
    }

    /// <summary>The status as <paramref name="viewer"/> sees it (with the viewer's marks), or null when its author is unknown.</summary>
    public async Task<Entities.Status?> ShowAsync(Status status, LocalAccount? viewer, CancellationToken cancellationToken) =>
        await ListAsync([status], viewer, cancellationToken) is [var shown] ? shown : null;

    /// <summary>
    /// The statuses whose author is known, in the given order (deleted ones and unknown authors skipped). With a
    /// <paramref name="filterContext"/> (<see cref="Filters.FilterContexts"/>) the viewer's filters apply (1 more query):
    /// a <c>hide</c> match leaves the status out, other matches fill <c>filtered</c>; the viewer's own posts are never filtered.
    /// </summary>
    public async Task<IReadOnlyList<Entities.Status>> ListAsync(IReadOnlyList<Status> statuses, LocalAccount? viewer, CancellationToken cancellationToken, string? filterContext = null)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var live = statuses.Where(s => s.DeletedAt is null).ToList();
        // Everything the page needs is read at once (one parallel step after the statuses); rows this process read
        // recently cost nothing (the bounds are in docs/PERFORMANCE.md), the viewer's marks are read fresh.
        var active = viewer is null || filterContext is null ? Task.FromResult<IReadOnlyList<Filters.Filter>>([]) : filters.GetActiveAsync(viewer.Id, cancellationToken);
        // Where statuses are listed for a signed-in viewer, accounts and servers the viewer blocked or muted stay out.
        var hiddenTask = viewer is not null && filterContext is not null ? hiding.ListAsync(viewer.Id, cancellationToken) : Task.FromResult(HiddenAccounts.None);
        var rulesTask = moderation.CurrentAsync(cancellationToken);
        var now = time.GetUtcNow();

        // Boosts carry the boosted status; a boost whose original is gone is left out.
        var reblogIds = live.Where(s => s.ReblogOfId is not null).Select(s => s.ReblogOfId!).Distinct(StringComparer.Ordinal).ToList();
        var originals = reblogIds.Count == 0
            ? new Dictionary<string, Status>(StringComparer.Ordinal)
            : (await statusStore.GetManyRecentAsync(reblogIds, cancellationToken)).Where(s => s.DeletedAt is null && s.ReblogOfId is null).ToDictionary(s => s.Id, StringComparer.Ordinal);
        // Accepted quotes carry the quoted status (cached point reads), when the viewer may see it.
        var quotedIds = live.Concat(originals.Values).Select(s => s.Quote).OfType<Quotes.StatusQuote>()
            .Where(q => q.State == Quotes.QuoteState.Accepted).Select(q => q.QuotedStatusId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var quoted = quotedIds.Count == 0
            ? new Dictionary<string, Status>(StringComparer.Ordinal)
            : (await statusStore.GetManyRecentAsync(quotedIds, cancellationToken)).ToDictionary(s => s.Id, StringComparer.Ordinal);
        var authorIds = live.Select(s => s.AccountId).Concat(originals.Values.Select(s => s.AccountId)).Concat(quoted.Values.Select(s => s.AccountId))
            .Concat(live.Concat(originals.Values).Select(s => s.Card?.AuthorAccountId).OfType<string>()).Distinct(StringComparer.Ordinal).ToList();
        var authorsTask = Task.WhenAll(authorIds.Select(id => directory.GetRecentByApiIdAsync(id, cancellationToken)));
        var marksTask = viewer is null
            ? Task.FromResult<(IReadOnlyDictionary<string, HashSet<InteractionKind>>, IReadOnlySet<string>)>((new Dictionary<string, HashSet<InteractionKind>>(), new HashSet<string>()))
            : lookups.MarksAsync(viewer.Id, [.. live, .. originals.Values], cancellationToken);
        var pollsTask = lookups.PollsAsync(live.Concat(originals.Values), viewer, cancellationToken);
        var quoteDecisionsTask = lookups.QuoteDecisionsAsync(live.Concat(originals.Values), viewer, cancellationToken);
        await Task.WhenAll(active, hiddenTask, rulesTask, authorsTask, marksTask, pollsTask, quoteDecisionsTask);
        var authors = authorsTask.Result.OfType<AccountRef>().ToDictionary(a => a.ApiId, StringComparer.Ordinal);
        var (marks, mutedConversations) = marksTask.Result;
        var polls = pollsTask.Result;
        var hidden = hiddenTask.Result;
        var filtersActive = active.Result;

        var rules = rulesTask.Result;
        bool Withheld(AccountRef a) => hidden.Hides(a) || a.Remote is not null && (rules.Suspends(a.ActorId) || filterContext == Filters.FilterContexts.Public && rules.Limits(a.ActorId));

        // Each author is mapped once per page (the same entity under each of their statuses, boosts, cards and quotes).
        var shownAccounts = new Dictionary<string, Entities.Account>(StringComparer.Ordinal);
        Entities.Account AccountOf(AccountRef a)
        {
            if (!shownAccounts.TryGetValue(a.ApiId, out var account))
            {
                shownAccounts[a.ApiId] = account = mapper.ToAccount(a);
            }

            return account;
        }

        var result = new List<Entities.Status>();
        foreach (var status in live)
        {
            if (!authors.TryGetValue(status.AccountId, out var author) || Withheld(author))
            {
                continue;
            }

            // Mastodon's reblog: the boost by its booster, the boosted status (with the viewer's marks) inside.
            var shown = status;
            var shownAuthor = author;
            if (status.ReblogOfId is { } reblogOfId
                && (!originals.TryGetValue(reblogOfId, out shown) || !authors.TryGetValue(shown.AccountId, out shownAuthor) || Withheld(shownAuthor)))
            {
                continue;
            }

            var entity = mapper.ToStatus(shown, shownAuthor, AccountOf(shownAuthor));
            if (entity.Card is { } card && shown.Card?.AuthorAccountId is { } creatorId && authors.TryGetValue(creatorId, out var creator) && !Withheld(creator))
            {
                entity = entity with { Card = card with { Authors = [.. card.Authors.Select(a => a with { Account = AccountOf(creator) })] } };
            }

            if (polls.TryGetValue(shown.Id, out var poll))
            {
                entity = entity with { Poll = poll };
            }

            if (shownAuthor.Remote is not null && entity.MediaAttachments.Count > 0 && rules.RejectsMediaOf(shownAuthor.ActorId))
            {
                entity = entity with { MediaAttachments = [.. entity.MediaAttachments.Select(m => m with { Type = "unknown", Url = m.RemoteUrl ?? m.Url, PreviewUrl = null, Blurhash = null })] };
            }
            if (filtersActive.Count > 0 && shown.AccountId != viewer!.Id)
            {
                var text = shown.IsLocal ? shown.Text : Filters.FilterMatcher.PlainText(shown.ContentHtml);
                var matches = Filters.FilterMatcher.Match(filtersActive, filterContext!, shown.Id, text, shown.SpoilerText, now);
                if (matches.Any(m => m.Filter.Action == "hide"))
                {
                    continue;
                }

                entity = entity with { Filtered = FilterMapper.ToFilterResults(matches) };
            }

            if (quoteDecisionsTask.Result.TryGetValue(shown.Id, out var decision))
            {
                entity = entity with { QuoteApproval = entity.QuoteApproval! with { CurrentUser = Quotes.QuotePolicies.Name(decision) } };
            }

            if (shown.Quote is { } quote)
            {
                entity = entity with { Quote = await QuoteOfAsync(quote) };
            }

            if (mutedConversations.Contains(shown.ConversationRoot))
            {
                entity = entity with { Muted = true };
            }

            if (marks.TryGetValue(shown.Id, out var set))
            {
                entity = entity with
                {
                    Favourited = set.Contains(InteractionKind.Favourite),
                    Reblogged = set.Contains(InteractionKind.Reblog),
                    Bookmarked = set.Contains(InteractionKind.Bookmark),
                    Pinned = set.Contains(InteractionKind.Pin),
                };
            }

            result.Add(status.ReblogOfId is null ? entity : mapper.ToStatus(status, author, AccountOf(author)) with { Reblog = entity, Url = null });
        }

        return result;

        // docs: entities/Quote: the quoted status only when accepted, still there and visible to the viewer; inside it,
        // its own quote as a ShallowQuote.
        async Task<Entities.Quote> QuoteOfAsync(Quotes.StatusQuote quote)
        {
            if (quote is not { State: Quotes.QuoteState.Accepted, QuotedStatusId: { } id })
            {
                return new Entities.Quote { State = StatusMapper.StateName(quote.State) };
            }

            if (!quoted.TryGetValue(id, out var target) || target.DeletedAt is not null)
            {
                return new Entities.Quote { State = StatusMapper.StateName(Quotes.QuoteState.Deleted) };
            }

            if (!authors.TryGetValue(target.AccountId, out var targetAuthor) || Withheld(targetAuthor) || !await CanSeeAsync(target, viewer, cancellationToken))
            {
                return new Entities.Quote { State = StatusMapper.StateName(Quotes.QuoteState.Unauthorized) };
            }

            var inner = target.Quote is { } q ? new Entities.ShallowQuote { State = StatusMapper.StateName(q.State), QuotedStatusId = q.State == Quotes.QuoteState.Accepted ? q.QuotedStatusId : null } : null;
            return new Entities.Quote { State = StatusMapper.StateName(Quotes.QuoteState.Accepted), QuotedStatus = mapper.ToStatus(target, targetAuthor, AccountOf(targetAuthor)) with { Quote = inner } };
        }
    }

    /// <summary>The ActivityPub id of a status (ours, or the remote one it came with).</summary>
    public string UriOf(Status status, AccountRef author)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(author);
        return status.Uri ?? urls.Status(author.Local!.Username, status.Id);
    }
}
