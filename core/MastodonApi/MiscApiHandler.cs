using Microsoft.AspNetCore.Http;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Mapping;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// Endpoints whose data is genuinely empty on this instance, answered as Mastodon answers an instance with nothing to
/// show: <c>custom_emojis</c> (no custom emoji feature), <c>announcements</c> (none; dismissing any id is 404),
/// <c>trends</c> (tags, statuses, links: no trending computation), <c>suggestions</c> v1 and v2 (no recommendation);
/// and the per-account <c>preferences</c> and <c>markers</c> (docs: methods/*). Storage: the empty endpoints 0 (auth
/// where required: 2); preferences auth only; markers as <see cref="MarkerStore"/>.
/// </summary>
public sealed class MiscApiHandler(ApiEndpoint api, MarkerStore markers)
{
    public WireResult CustomEmojis(HttpRequest request) => api.Run(request, ApiAccess.Anonymous, _ => EmptyList());

    /// <summary>Trends of every kind: public, always empty.</summary>
    public WireResult Trends(HttpRequest request) => api.Run(request, ApiAccess.Anonymous, _ => EmptyList());

    public Task<WireResult> AnnouncementsAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read"), _ => EmptyList(), cancellationToken);

    /// <summary>No announcement exists, so every id is unknown.</summary>
    public Task<WireResult> DismissAnnouncementAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:accounts"), _ => NotFound(), cancellationToken);

    public Task<WireResult> SuggestionsAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read"), _ => EmptyList(), cancellationToken);

    /// <summary>Preferences (entities/Preferences) from the account's stored defaults.</summary>
    public Task<WireResult> PreferencesAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:accounts"), r => Ok(PreferencesMapper.ToPreferences(r.Account), Wire.Preferences), cancellationToken);

    /// <summary><c>GET /api/v1/markers?timeline[]=home&amp;timeline[]=notifications</c>: the requested markers that exist.</summary>
    public Task<WireResult> GetMarkersAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:statuses").WithParameters(), async r =>
        {
            var wanted = r.Parameters.GetAll("timeline").ToHashSet(StringComparer.Ordinal);
            var found = (await markers.GetAsync(r.Account.Id, cancellationToken)).Where(m => wanted.Contains(m.Timeline));
            return Ok(MarkerMapper.ToMarkers(found), Wire.IReadOnlyDictionaryStringMarker);
        }, cancellationToken);

    /// <summary><c>POST /api/v1/markers</c> with <c>home[last_read_id]</c> and/or <c>notifications[last_read_id]</c>.</summary>
    public Task<WireResult> SetMarkersAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:statuses").WithParameters(), async r =>
        {
            var updates = new List<(string Timeline, string LastReadId)>();
            foreach (var timeline in MarkerStore.Timelines)
            {
                if (r.Parameters.Get($"{timeline}[last_read_id]") is not { } id)
                {
                    continue;
                }

                if (id.Length is 0 or > 19 || !id.All(char.IsAsciiDigit))
                {
                    return Invalid($"{timeline}[last_read_id] is not an id");
                }

                updates.Add((timeline, id));
            }

            var set = new List<Marker>();
            foreach (var (timeline, id) in updates)
            {
                set.Add(await markers.SetAsync(r.Account.Id, timeline, id, cancellationToken));
            }

            return Ok(MarkerMapper.ToMarkers(set), Wire.IReadOnlyDictionaryStringMarker);
        }, cancellationToken);

    private static WireResult EmptyList() => Ok([], Wire.IReadOnlyListString);
}
