using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Http;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// Featured hashtags (docs: methods/featured_tags, entities/FeaturedTag) and endorsements (methods/endorsements).
/// The FeaturedTag entity is written as Mastodon's serializer writes it, which differs from the entity page:
/// <c>statuses_count</c> is a string and <c>last_status_at</c> a date (<c>2026-11-20</c>), so apps that decode
/// Mastodon's real answers decode ours. Counts cover the account's 1,000 newest public and unlisted statuses.
/// Endorsing accounts does not exist on this instance, so both endorsement lists are genuinely empty.
/// </summary>
public sealed class FeaturedTagsApiHandler(ApiAuth auth, FeaturedTagStore featured, AccountDirectory directory, InstanceUrls urls)
{
    /// <summary>Longest hashtag name accepted.</summary>
    private const int MaxNameLength = 100;

    /// <summary><c>GET /api/v1/featured_tags</c>: the caller's featured tags.</summary>
    public async Task<WireResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (me, _, failure) = await auth.AuthenticateAsync(request, "read:accounts", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        return Ok(new JsonArray([.. (await featured.ListAsync(me!.Id, cancellationToken)).Select(t => (JsonNode)ToJson(me.Username, t))]));
    }

    /// <summary><c>POST /api/v1/featured_tags</c> with <c>name</c> (a leading <c>#</c> is dropped); featuring one twice answers it again.</summary>
    public async Task<WireResult> CreateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (me, _, failure) = await auth.AuthenticateAsync(request, "write:accounts", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var (p, error) = await ApiParameters.ReadAsync(request, cancellationToken);
        if (p is null)
        {
            return WireResult.Error(StatusCodes.Status400BadRequest, error!).WithCors();
        }

        var name = (p.Get("name") ?? "").Trim().TrimStart('#');
        if (name.Length == 0)
        {
            return Invalid("Tag can't be blank");
        }

        if (!IsHashtagName(name))
        {
            return Invalid("Tag is invalid");
        }

        var tag = await featured.AddAsync(me!.Id, name, cancellationToken);
        return tag is null
            ? Invalid($"You can only feature up to {FeaturedTagStore.MaxPerAccount} hashtags")
            : Ok(ToJson(me.Username, tag));
    }

    /// <summary><c>DELETE /api/v1/featured_tags/:id</c>: <c>{}</c>, or 404 when the caller features no such tag.</summary>
    public async Task<WireResult> DeleteAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (me, _, failure) = await auth.AuthenticateAsync(request, "write:accounts", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        return await featured.RemoveAsync(me!.Id, id, cancellationToken) ? Ok(new JsonObject()) : NotFound();
    }

    /// <summary><c>GET /api/v1/featured_tags/suggestions</c>: up to 10 hashtags the caller uses most, not yet featured (Tag entities).</summary>
    public async Task<WireResult> SuggestionsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (me, _, failure) = await auth.AuthenticateAsync(request, "read:accounts", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var already = (await featured.ListAsync(me!.Id, cancellationToken)).Select(t => t.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var used = await featured.MostUsedAsync(me.Id, 10 + already.Count, cancellationToken);
        return Ok(new JsonArray([.. used.Where(n => !already.Contains(n)).Take(10).Select(n => (JsonNode)new JsonObject
        {
            ["name"] = n,
            ["url"] = urls.Tag(n),
            ["history"] = new JsonArray(),
            ["following"] = false,
        })]));
    }

    /// <summary><c>GET /api/v1/accounts/:id/featured_tags</c>: a local account's featured tags; a remote account's are not known here (empty).</summary>
    public async Task<WireResult> ForAccountAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (_, failure) = await auth.AuthenticateOptionalAsync(request, "read:accounts", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var account = await directory.GetByApiIdAsync(id, cancellationToken);
        if (account is null)
        {
            return NotFound();
        }

        var tags = account.Local is { } local ? await featured.ListAsync(local.Id, cancellationToken) : [];
        return Ok(new JsonArray([.. tags.Select(t => (JsonNode)ToJson(account.Local!.Username, t))]));
    }

    /// <summary><c>GET /api/v1/endorsements</c>: accounts the caller features on its profile; endorsing does not exist here.</summary>
    public async Task<WireResult> EndorsementsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (_, _, failure) = await auth.AuthenticateAsync(request, "read:accounts", cancellationToken);
        return failure ?? Ok(new JsonArray());
    }

    /// <summary><c>GET /api/v1/accounts/:id/endorsements</c>: 404 for an unknown account, else empty.</summary>
    public async Task<WireResult> AccountEndorsementsAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (_, failure) = await auth.AuthenticateOptionalAsync(request, "read:accounts", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        return await directory.GetByApiIdAsync(id, cancellationToken) is null ? NotFound() : Ok(new JsonArray());
    }

    /// <summary>Letters, digits and underscores, not only digits (Mastodon's hashtag names).</summary>
    public static bool IsHashtagName(string name) =>
        name.Length is > 0 and <= MaxNameLength && name.All(c => char.IsLetterOrDigit(c) || c == '_') && !name.All(char.IsAsciiDigit);

    private JsonObject ToJson(string username, FeaturedTag t) => new()
    {
        ["id"] = t.Id,
        ["name"] = t.Name,
        ["url"] = $"{urls.Profile(username)}/tagged/{Uri.EscapeDataString(t.Name)}",
        ["statuses_count"] = t.StatusesCount.ToString(CultureInfo.InvariantCulture),
        ["last_status_at"] = t.LastStatusAt?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    private static WireResult Ok(JsonNode body) => WireResult.Json(StatusCodes.Status200OK, body).WithCors();

    private static WireResult Invalid(string message) => WireResult.Error(StatusCodes.Status422UnprocessableEntity, "Validation failed: " + message).WithCors();

    private static WireResult NotFound() => WireResult.Error(StatusCodes.Status404NotFound, "Record not found").WithCors();
}
