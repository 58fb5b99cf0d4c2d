using System.Text.Json.Nodes;
using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// Statuses as the API answers them to a viewer: authors (local or remote, each looked up once per page), the viewer's
/// marks (<c>favourited</c>, <c>reblogged</c>, <c>bookmarked</c>, <c>pinned</c>: one range query per page) and visibility.
/// Storage per page of n statuses by a authors: a lookups (1-2 point reads each) + 1 range query.
/// </summary>
public sealed class StatusRenderer(AccountDirectory directory, InteractionStore interactions, FollowingStore following, Filters.FilterStore filters, MastodonMapper mapper, InstanceUrls urls, TimeProvider time)
{
    /// <summary>
    /// Whether <paramref name="viewer"/> may see the status: public and unlisted for everyone; private for the author and
    /// accepted followers; direct for the author and the mentioned (1 point read for private statuses).
    /// </summary>
    public async Task<bool> CanSeeAsync(Status status, LocalAccount? viewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.DeletedAt is not null)
        {
            return false;
        }

        if (NoteMapper.IsPubliclyReadable(status))
        {
            return true;
        }

        if (viewer is null)
        {
            return false;
        }

        if (status.AccountId == viewer.Id || status.Mentions.Any(m => m.AccountId == viewer.Id))
        {
            return true;
        }

        if (status.Visibility != Visibility.Private)
        {
            return false;
        }

        var author = await directory.GetByApiIdAsync(status.AccountId, cancellationToken);
        return author is not null && (await following.GetAsync(viewer.Id, author.ActorId, cancellationToken))?.State == FollowingStore.Accepted;
    }

    public async Task<JsonObject?> RenderAsync(Status status, LocalAccount? viewer, CancellationToken cancellationToken, bool includeSourceText = false)
    {
        var list = await RenderAsync([status], viewer, cancellationToken);
        if (list.Count == 0)
        {
            return null;
        }

        var json = (JsonObject)list[0]!;
        list.Clear(); // detach: callers nest it in other documents
        if (includeSourceText)
        {
            json["text"] = status.Text;
        }

        return json;
    }

    /// <summary>
    /// The statuses whose author is known, in the given order (deleted ones and unknown authors skipped). With a
    /// <paramref name="filterContext"/> (<see cref="Filters.FilterContexts"/>) the viewer's filters apply (1 more query):
    /// a <c>hide</c> match leaves the status out, other matches fill <c>filtered</c>; the viewer's own posts are never filtered.
    /// </summary>
    public async Task<JsonArray> RenderAsync(IReadOnlyList<Status> statuses, LocalAccount? viewer, CancellationToken cancellationToken, string? filterContext = null)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var live = statuses.Where(s => s.DeletedAt is null).ToList();
        var active = viewer is null || filterContext is null ? [] : await filters.GetActiveAsync(viewer.Id, cancellationToken);
        var now = time.GetUtcNow();
        var authorIds = live.Select(s => s.AccountId).Distinct(StringComparer.Ordinal).ToList();
        var authors = (await Task.WhenAll(authorIds.Select(id => directory.GetByApiIdAsync(id, cancellationToken))))
            .OfType<AccountRef>().ToDictionary(a => a.ApiId, StringComparer.Ordinal);
        var marks = viewer is null
            ? new Dictionary<string, HashSet<InteractionKind>>()
            : await interactions.GetMarksAsync(viewer.Id, live.Select(s => s.Id).ToList(), cancellationToken);

        var result = new JsonArray();
        foreach (var status in live)
        {
            if (!authors.TryGetValue(status.AccountId, out var author))
            {
                continue;
            }

            var json = Render(status, author);
            if (active.Count > 0 && status.AccountId != viewer!.Id)
            {
                var text = status.IsLocal ? status.Text : Filters.FilterMatcher.PlainText(status.ContentHtml);
                var matches = Filters.FilterMatcher.Match(active, filterContext!, status.Id, text, status.SpoilerText, now);
                if (matches.Any(m => m.Filter.Action == "hide"))
                {
                    continue;
                }

                json["filtered"] = FilterMapper.ToFilterResults(matches);
            }

            if (marks.TryGetValue(status.Id, out var set))
            {
                json["favourited"] = set.Contains(InteractionKind.Favourite);
                json["reblogged"] = set.Contains(InteractionKind.Reblog);
                json["bookmarked"] = set.Contains(InteractionKind.Bookmark);
                json["pinned"] = set.Contains(InteractionKind.Pin);
            }

            result.Add(json);
        }

        return result;
    }

    public JsonObject Render(Status status, AccountRef author)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(author);
        if (author.Local is { } local)
        {
            return mapper.ToStatus(status, local);
        }

        return mapper.ToStatus(status, mapper.ToAccount(author.Remote!), status.Uri ?? "", status.Url ?? status.Uri ?? "");
    }

    /// <summary>The ActivityPub id of a status (ours, or the remote one it came with).</summary>
    public string UriOf(Status status, AccountRef author)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(author);
        return status.Uri ?? urls.Status(author.Local!.Username, status.Id);
    }
}
