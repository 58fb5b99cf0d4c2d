using ServerlessFedi.ActivityPub;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Moderation;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Web;

/// <summary>
/// The quoted posts pages embed (<see cref="PostQuote"/>): only for an accepted quote (FEP-044f) of a post that is still
/// there, public or unlisted, by an author known here and not suspended by the operator; otherwise the page keeps its
/// link to the quoted post. Storage per page: 1 point read per distinct quoted post and 1-2 per its author, all kept
/// per process (<see cref="StatusStore.GetManyRecentAsync"/>, <see cref="AccountDirectory.GetRecentByApiIdAsync"/>).
/// </summary>
public sealed class PostQuotes(StatusStore statuses, AccountDirectory directory, InstanceUrls urls, ModerationPolicy moderation)
{
    /// <summary>The embeds of those <paramref name="quoting"/> statuses that have one, by the quoting status's id.</summary>
    public async Task<IReadOnlyDictionary<string, PostQuote>> ForAsync(IEnumerable<Status> quoting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(quoting);
        var accepted = quoting.Where(s => s.Quote is { State: Quotes.QuoteState.Accepted, QuotedStatusId: not null }).ToList();
        var embeds = new Dictionary<string, PostQuote>(StringComparer.Ordinal);
        if (accepted.Count == 0)
        {
            return embeds;
        }

        var quoted = (await statuses.GetManyRecentAsync(accepted.Select(s => s.Quote!.QuotedStatusId!).Distinct(StringComparer.Ordinal), cancellationToken))
            .Where(q => q.DeletedAt is null && q.ReblogOfId is null && NoteMapper.IsPubliclyReadable(q)).ToDictionary(q => q.Id, StringComparer.Ordinal);
        var authors = (await Task.WhenAll(quoted.Values.Select(q => q.AccountId).Distinct(StringComparer.Ordinal).Select(id => directory.GetRecentByApiIdAsync(id, cancellationToken))))
            .OfType<AccountRef>().ToDictionary(a => a.ApiId, StringComparer.Ordinal);
        var rules = await moderation.CurrentAsync(cancellationToken);
        foreach (var status in accepted)
        {
            if (quoted.TryGetValue(status.Quote!.QuotedStatusId!, out var target) && authors.TryGetValue(target.AccountId, out var author)
                && (author.Local is { DeletedAt: null } || author.Remote is { DeletedAt: null } && !rules.Suspends(author.ActorId)))
            {
                embeds[status.Id] = Embed(target, author);
            }
        }

        return embeds;
    }

    private PostQuote Embed(Status quoted, AccountRef author) => author.Local is { } local
        ? new PostQuote
        {
            Url = urls.StatusPage(local.Username, quoted.Id),
            AuthorName = string.IsNullOrWhiteSpace(local.DisplayName) ? local.Username : local.DisplayName,
            AuthorHandle = $"@{local.Username}@{urls.AccountDomain}",
            AuthorProfileUrl = urls.Profile(local.Username),
            ContentHtml = quoted.ContentHtml,
            SpoilerText = quoted.SpoilerText,
            Language = quoted.Language,
            CreatedAt = quoted.CreatedAt,
        }
        : new PostQuote
        {
            Url = quoted.Url ?? quoted.Uri!,
            AuthorName = string.IsNullOrWhiteSpace(author.Remote!.Name) ? RemoteUsername(author.Remote) : author.Remote.Name,
            AuthorHandle = $"@{RemoteUsername(author.Remote)}@{new Uri(author.Remote.Id).Authority}",
            AuthorProfileUrl = author.Remote.Url ?? author.Remote.Id,
            ContentHtml = quoted.ContentHtml,
            SpoilerText = quoted.SpoilerText,
            Language = quoted.Language,
            CreatedAt = quoted.CreatedAt,
        };

    private static string RemoteUsername(RemoteActor actor) => actor.PreferredUsername ?? new Uri(actor.Id).Segments[^1].Trim('/');
}
