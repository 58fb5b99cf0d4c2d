using Microsoft.AspNetCore.Http;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Statuses;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// Hashtags (docs: methods/tags, methods/followed_tags): <c>GET /api/v1/tags/:name</c> (anyone; <c>following</c> for a
/// signed-in viewer), <c>POST /api/v1/tags/:name/follow</c> and <c>/unfollow</c> (<c>write:follows</c>), and
/// <c>GET /api/v1/followed_tags</c> (<c>read:follows</c>; all of them, at most <see cref="FollowedTagStore.MaxPerAccount"/>,
/// in one page). Public posts with a followed tag reach the follower's home (<see cref="StatusSurface"/>). A name that is
/// not a hashtag is 404, as Mastodon finds no such tag.
/// </summary>
public sealed class TagsApiHandler(ApiEndpoint api, FollowedTagStore followed, TagMapper tags)
{
    public Task<WireResult> ShowAsync(HttpRequest request, string name, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.OptionalToken("read:follows"), async r =>
            !FeaturedTagsApiHandler.IsHashtagName(name)
                ? NotFound()
                : Ok(tags.ToTag(name, r.Viewer is { } viewer && await followed.IsFollowingAsync(viewer.Id, name, cancellationToken)), Wire.Tag), cancellationToken);

    public Task<WireResult> FollowAsync(HttpRequest request, string name, bool follow, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:follows"), async r =>
        {
            if (!FeaturedTagsApiHandler.IsHashtagName(name))
            {
                return NotFound();
            }

            if (!follow)
            {
                await followed.UnfollowAsync(r.Account.Id, name, cancellationToken);
            }
            else if (!await followed.FollowAsync(r.Account.Id, name, cancellationToken))
            {
                return Invalid($"You can follow at most {FollowedTagStore.MaxPerAccount} hashtags");
            }

            return Ok(tags.ToTag(name, follow), Wire.Tag);
        }, cancellationToken);

    public Task<WireResult> FollowedAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:follows"), async r =>
            Ok([.. (await followed.ListAsync(r.Account.Id, cancellationToken)).Select(n => tags.ToTag(n, true))], Wire.IReadOnlyListTag), cancellationToken);
}
