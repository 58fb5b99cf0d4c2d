using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Http;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// Endpoints whose data is genuinely empty on this instance, answered as Mastodon answers an instance with nothing to
/// show: <c>custom_emojis</c> (no custom emoji feature), <c>announcements</c> (none; dismissing any id is 404),
/// <c>trends</c> (tags, statuses, links: no trending computation), <c>suggestions</c> v1 and v2 (no recommendation);
/// and the per-account <c>preferences</c> and <c>markers</c> (docs: methods/*). Storage: the empty endpoints 0 (auth
/// where required: 2); preferences auth only; markers as <see cref="MarkerStore"/>.
/// </summary>
public sealed class MiscApiHandler(ApiAuth auth, MarkerStore markers)
{
    public WireResult CustomEmojis(HttpRequest request) => auth.ThrottleAnonymous(request) ?? EmptyList();

    /// <summary>Trends of every kind: public, always empty.</summary>
    public WireResult Trends(HttpRequest request) => auth.ThrottleAnonymous(request) ?? EmptyList();

    public async Task<WireResult> AnnouncementsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (_, _, failure) = await auth.AuthenticateAsync(request, "read", cancellationToken);
        return failure ?? EmptyList();
    }

    /// <summary>No announcement exists, so every id is unknown.</summary>
    public async Task<WireResult> DismissAnnouncementAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (_, _, failure) = await auth.AuthenticateAsync(request, "write:accounts", cancellationToken);
        return failure ?? WireResult.Error(StatusCodes.Status404NotFound, "Record not found").WithCors();
    }

    public async Task<WireResult> SuggestionsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (_, _, failure) = await auth.AuthenticateAsync(request, "read", cancellationToken);
        return failure ?? EmptyList();
    }

    /// <summary>
    /// Preferences (entities/Preferences) from the account's stored defaults; the reading preferences are Mastodon's
    /// defaults, as this server keeps no web-interface settings.
    /// </summary>
    public async Task<WireResult> PreferencesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (account, _, failure) = await auth.AuthenticateAsync(request, "read:accounts", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        return Ok(new JsonObject
        {
            ["posting:default:visibility"] = account!.DefaultPrivacy,
            ["posting:default:sensitive"] = account.DefaultSensitive,
            ["posting:default:language"] = account.DefaultLanguage,
            ["reading:expand:media"] = "default",
            ["reading:expand:spoilers"] = false,
        });
    }

    /// <summary><c>GET /api/v1/markers?timeline[]=home&amp;timeline[]=notifications</c>: the requested markers that exist.</summary>
    public async Task<WireResult> GetMarkersAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (account, _, failure) = await auth.AuthenticateAsync(request, "read:statuses", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var (p, error) = await ApiParameters.ReadAsync(request, cancellationToken);
        if (p is null)
        {
            return WireResult.Error(StatusCodes.Status400BadRequest, error!).WithCors();
        }

        var wanted = p.GetAll("timeline").ToHashSet(StringComparer.Ordinal);
        var doc = new JsonObject();
        foreach (var marker in await markers.GetAsync(account!.Id, cancellationToken))
        {
            if (wanted.Contains(marker.Timeline))
            {
                doc[marker.Timeline] = ToJson(marker);
            }
        }

        return Ok(doc);
    }

    /// <summary><c>POST /api/v1/markers</c> with <c>home[last_read_id]</c> and/or <c>notifications[last_read_id]</c>.</summary>
    public async Task<WireResult> SetMarkersAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (account, _, failure) = await auth.AuthenticateAsync(request, "write:statuses", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var (p, error) = await ApiParameters.ReadAsync(request, cancellationToken);
        if (p is null)
        {
            return WireResult.Error(StatusCodes.Status400BadRequest, error!).WithCors();
        }

        var updates = new List<(string Timeline, string LastReadId)>();
        foreach (var timeline in MarkerStore.Timelines)
        {
            if (p.Get($"{timeline}[last_read_id]") is not { } id)
            {
                continue;
            }

            if (id.Length is 0 or > 19 || !id.All(char.IsAsciiDigit))
            {
                return WireResult.Error(StatusCodes.Status422UnprocessableEntity, $"Validation failed: {timeline}[last_read_id] is not an id").WithCors();
            }

            updates.Add((timeline, id));
        }

        var doc = new JsonObject();
        foreach (var (timeline, id) in updates)
        {
            doc[timeline] = ToJson(await markers.SetAsync(account!.Id, timeline, id, cancellationToken));
        }

        return Ok(doc);
    }

    private static JsonObject ToJson(Marker m) => new()
    {
        ["last_read_id"] = m.LastReadId,
        ["version"] = m.Version,
        ["updated_at"] = m.UpdatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
    };

    private static WireResult EmptyList() => Ok(new JsonArray());

    private static WireResult Ok(JsonNode doc) => WireResult.Json(StatusCodes.Status200OK, doc).WithCors();
}
