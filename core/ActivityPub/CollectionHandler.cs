using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Http;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.ActivityPub;

/// <summary>
/// An account's collections (ActivityPub §5): followers (paged, newest rows by follower id), following, outbox and
/// featured. Counts come from the account's counters. Storage: collection 2 reads; a followers page 2 reads + 1 range query.
/// </summary>
public sealed class CollectionHandler(AccountStore accounts, FollowerStore followers, FollowingStore following, StatusStore statuses, InteractionStore interactions, NoteMapper notes, InstanceUrls urls, FeaturedTagStore featuredTags)
{
    public const int PageSize = 40;

    public async Task<WireResult> FollowersAsync(HttpRequest request, string username, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (account, missing) = await OwnerAsync(username, cancellationToken);
        if (account is null)
        {
            return missing!;
        }

        var id = urls.Followers(account.Username);
        if (!request.Query.ContainsKey("page"))
        {
            return Json(new JsonObject
            {
                ["@context"] = ActivityStreamsContext.ActivityStreams,
                ["id"] = id,
                ["type"] = "OrderedCollection",
                ["totalItems"] = account.FollowersCount,
                ["first"] = $"{id}?page=1",
            });
        }

        var cursor = request.Query["cursor"].ToString();
        var page = await followers.GetPageAsync(account.Id, string.IsNullOrEmpty(cursor) ? null : cursor, PageSize, cancellationToken);
        var self = string.IsNullOrEmpty(cursor) ? $"{id}?page=1" : $"{id}?page=1&cursor={Uri.EscapeDataString(cursor)}";
        var doc = new JsonObject
        {
            ["@context"] = ActivityStreamsContext.ActivityStreams,
            ["id"] = self,
            ["type"] = "OrderedCollectionPage",
            ["totalItems"] = account.FollowersCount,
            ["partOf"] = id,
            ["orderedItems"] = new JsonArray(page.Followers.Select(f => (JsonNode)JsonValue.Create(f.ActorId)!).ToArray()),
        };
        if (page.ContinuationToken is not null)
        {
            doc["next"] = $"{id}?page=1&cursor={Uri.EscapeDataString(page.ContinuationToken)}";
        }

        return Json(doc);
    }

    /// <summary>
    /// The outbox: Create activities of public and unlisted statuses, newest first, paged by <c>max_id</c>.
    /// Private and direct statuses are counted in totalItems (as Mastodon does) but never listed.
    /// </summary>
    public async Task<WireResult> OutboxAsync(HttpRequest request, string username, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (account, missing) = await OwnerAsync(username, cancellationToken);
        if (account is null)
        {
            return missing!;
        }

        var id = urls.Outbox(account.Username);
        if (!request.Query.ContainsKey("page"))
        {
            return Json(new JsonObject
            {
                ["@context"] = ActivityStreamsContext.ActivityStreams,
                ["id"] = id,
                ["type"] = "OrderedCollection",
                ["totalItems"] = account.StatusesCount,
                ["first"] = $"{id}?page=true",
                ["last"] = $"{id}?min_id=0&page=true",
            });
        }

        var maxId = request.Query["max_id"].ToString();
        var page = await statuses.GetAccountStatusesAsync(account.Id, string.IsNullOrEmpty(maxId) ? null : maxId, PageSize, cancellationToken);
        var items = page.Where(NoteMapper.IsPubliclyReadable).Select(s =>
        {
            var create = notes.Create(s, account);
            create.Remove("@context");
            return (JsonNode)create;
        }).ToArray();
        var doc = new JsonObject
        {
            ["@context"] = NoteMapper.Context(),
            ["id"] = string.IsNullOrEmpty(maxId) ? $"{id}?page=true" : $"{id}?max_id={Uri.EscapeDataString(maxId)}&page=true",
            ["type"] = "OrderedCollectionPage",
            ["partOf"] = id,
            ["orderedItems"] = new JsonArray(items),
        };
        if (page.Count == PageSize)
        {
            doc["next"] = $"{id}?max_id={page[^1].Id}&page=true";
        }

        return Json(doc);
    }

    /// <summary>
    /// What the account follows (accepted follows): the collection with its count and a first page; pages list actor ids,
    /// 40 at a time in actor-id order, continued by an opaque <c>cursor</c>. Storage: 2 reads (+ 1 range query per page).
    /// </summary>
    public async Task<WireResult> FollowingAsync(HttpRequest request, string username, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (account, missing) = await OwnerAsync(username, cancellationToken);
        if (account is null)
        {
            return missing!;
        }

        var id = urls.Following(account.Username);
        if (!request.Query.ContainsKey("page"))
        {
            return Json(new JsonObject
            {
                ["@context"] = ActivityStreamsContext.ActivityStreams,
                ["id"] = id,
                ["type"] = "OrderedCollection",
                ["totalItems"] = account.FollowingCount,
                ["first"] = $"{id}?page=true",
            });
        }

        var cursor = request.Query["cursor"].ToString();
        var (items, next) = await following.ListAsync(account.Id, cursor.Length == 0 ? null : cursor, PageSize, cancellationToken);
        var doc = new JsonObject
        {
            ["@context"] = ActivityStreamsContext.ActivityStreams,
            ["id"] = cursor.Length == 0 ? $"{id}?page=true" : $"{id}?page=true&cursor={Uri.EscapeDataString(cursor)}",
            ["type"] = "OrderedCollectionPage",
            ["partOf"] = id,
            ["totalItems"] = account.FollowingCount,
            ["orderedItems"] = new JsonArray(items.Select(f => (JsonNode)f.TargetActorId).ToArray()),
        };
        if (next is not null)
        {
            doc["next"] = $"{id}?page=true&cursor={Uri.EscapeDataString(next)}";
        }

        return Json(doc);
    }

    /// <summary>
    /// Pinned posts (Mastodon's <c>featured</c>): the public and unlisted ones as Notes, newest first.
    /// Storage: 2 reads + 1 range query (the pins) + 1 read per pin (at most 5).
    /// </summary>
    public async Task<WireResult> FeaturedAsync(string username, CancellationToken cancellationToken)
    {
        var (account, missing) = await OwnerAsync(username, cancellationToken);
        if (account is null)
        {
            return missing!;
        }

        var pinned = await interactions.ListMarkedAsync(account.Id, InteractionKind.Pin, null, InteractionStore.MaxPins, cancellationToken);
        var shown = (await statuses.GetManyAsync(pinned, cancellationToken))
            .Where(s => s.DeletedAt is null && s.AccountId == account.Id && NoteMapper.IsPubliclyReadable(s))
            .Select(s =>
            {
                var note = notes.ToNote(s, account);
                note.Remove("@context");
                return (JsonNode)note;
            }).ToArray();
        return Json(new JsonObject
        {
            ["@context"] = NoteMapper.Context(),
            ["id"] = urls.Featured(account.Username),
            ["type"] = "OrderedCollection",
            ["totalItems"] = shown.Length,
            ["orderedItems"] = new JsonArray(shown),
        });
    }

    /// <summary>
    /// The actor's <c>featuredTags</c>: a Collection of Hashtag objects, as Mastodon publishes it (href is the profile
    /// filtered by the tag). Storage: 2 reads (account) + 1 range query.
    /// </summary>
    public async Task<WireResult> FeaturedTagsAsync(string username, CancellationToken cancellationToken)
    {
        var (account, missing) = await OwnerAsync(username, cancellationToken);
        if (account is null)
        {
            return missing!;
        }

        var names = await featuredTags.NamesAsync(account.Id, cancellationToken);
        return Json(new JsonObject
        {
            ["@context"] = ActivityStreamsContext.ActivityStreams,
            ["id"] = urls.FeaturedTags(account.Username),
            ["type"] = "Collection",
            ["totalItems"] = names.Count,
            ["items"] = new JsonArray([.. names.Select(n => (JsonNode)new JsonObject
            {
                ["type"] = "Hashtag",
                ["href"] = $"{urls.Profile(account.Username)}/tagged/{Uri.EscapeDataString(n)}",
                ["name"] = "#" + n,
            })]),
        });
    }

    private static WireResult Json(JsonObject doc) =>
        WireResult.Json(StatusCodes.Status200OK, doc, ActorHandler.ActivityJsonContentType).WithHeader("Cache-Control", "max-age=60, public").WithCors();

    /// <summary>The collection's owner, or the answer for its absence: 410 for a deleted account (its collections are gone), else 404.</summary>
    private async Task<(LocalAccount? Account, WireResult? Missing)> OwnerAsync(string username, CancellationToken cancellationToken)
    {
        var account = await accounts.GetByUsernameIncludingDeletedAsync(username, cancellationToken);
        return account switch
        {
            null => (null, WireResult.Error(StatusCodes.Status404NotFound, "no such account")),
            { DeletedAt: not null } => (null, WireResult.Error(StatusCodes.Status410Gone, "the account was deleted")),
            _ => (account, null),
        };
    }
}
