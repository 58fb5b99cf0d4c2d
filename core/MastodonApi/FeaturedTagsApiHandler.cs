using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Mapping;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// Featured hashtags (docs: methods/featured_tags, entities/FeaturedTag) and endorsements (methods/endorsements).
/// FeaturedTags are written as Mastodon's serializer writes them (see <see cref="Entities.FeaturedTag"/>). Counts cover
/// the account's 1,000 newest public and unlisted statuses. Endorsing accounts does not exist on this instance, so both
/// endorsement lists are genuinely empty.
/// </summary>
public sealed class FeaturedTagsApiHandler(ApiEndpoint api, FeaturedTagStore featured, AccountDirectory directory, TagMapper tags)
{
    /// <summary>Longest hashtag name accepted.</summary>
    private const int MaxNameLength = 100;

    /// <summary><c>GET /api/v1/featured_tags</c>: the caller's featured tags.</summary>
    public Task<WireResult> ListAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:accounts"), async r =>
            Ok([.. (await featured.ListAsync(r.Account.Id, cancellationToken)).Select(t => tags.ToFeaturedTag(r.Account.Username, t))], Wire.IReadOnlyListFeaturedTag), cancellationToken);

    /// <summary><c>POST /api/v1/featured_tags</c> with <c>name</c> (a leading <c>#</c> is dropped); featuring one twice answers it again.</summary>
    public Task<WireResult> CreateAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:accounts").WithParameters(), async r =>
        {
            var name = (r.Parameters.Get("name") ?? "").Trim().TrimStart('#');
            if (name.Length == 0)
            {
                return Invalid("Tag can't be blank");
            }

            if (!IsHashtagName(name))
            {
                return Invalid("Tag is invalid");
            }

            var tag = await featured.AddAsync(r.Account.Id, name, cancellationToken);
            return tag is null
                ? Invalid($"You can only feature up to {FeaturedTagStore.MaxPerAccount} hashtags")
                : Ok(tags.ToFeaturedTag(r.Account.Username, tag), Wire.FeaturedTag);
        }, cancellationToken);

    /// <summary><c>DELETE /api/v1/featured_tags/:id</c>: <c>{}</c>, or 404 when the caller features no such tag.</summary>
    public Task<WireResult> DeleteAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:accounts"), async r =>
            await featured.RemoveAsync(r.Account.Id, id, cancellationToken) ? Done() : NotFound(), cancellationToken);

    /// <summary><c>GET /api/v1/featured_tags/suggestions</c>: up to 10 hashtags the caller uses most, not yet featured (Tag entities).</summary>
    public Task<WireResult> SuggestionsAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:accounts"), async r =>
        {
            var already = (await featured.ListAsync(r.Account.Id, cancellationToken)).Select(t => t.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var used = await featured.MostUsedAsync(r.Account.Id, 10 + already.Count, cancellationToken);
            return Ok([.. used.Where(n => !already.Contains(n)).Take(10).Select(n => tags.ToTag(n))], Wire.IReadOnlyListTag);
        }, cancellationToken);

    /// <summary><c>GET /api/v1/accounts/:id/featured_tags</c>: a local account's featured tags; a remote account's are not known here (empty).</summary>
    public Task<WireResult> ForAccountAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.OptionalToken("read:accounts"), async r =>
        {
            var account = await directory.GetByApiIdAsync(id, cancellationToken);
            if (account is null)
            {
                return NotFound();
            }

            var found = account.Local is { } local ? await featured.ListAsync(local.Id, cancellationToken) : [];
            return Ok([.. found.Select(t => tags.ToFeaturedTag(account.Local!.Username, t))], Wire.IReadOnlyListFeaturedTag);
        }, cancellationToken);

    /// <summary><c>GET /api/v1/endorsements</c>: accounts the caller features on its profile; endorsing does not exist here.</summary>
    public Task<WireResult> EndorsementsAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:accounts"), _ => Ok([], Wire.IReadOnlyListAccount), cancellationToken);

    /// <summary><c>GET /api/v1/accounts/:id/endorsements</c>: 404 for an unknown account, else empty.</summary>
    public Task<WireResult> AccountEndorsementsAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.OptionalToken("read:accounts"), async r =>
            await directory.GetByApiIdAsync(id, cancellationToken) is null ? NotFound() : Ok([], Wire.IReadOnlyListAccount), cancellationToken);

    /// <summary>Letters, digits and underscores, not only digits (Mastodon's hashtag names).</summary>
    public static bool IsHashtagName(string name) =>
        name.Length is > 0 and <= MaxNameLength && name.All(c => char.IsLetterOrDigit(c) || c == '_') && !name.All(char.IsAsciiDigit);
}
