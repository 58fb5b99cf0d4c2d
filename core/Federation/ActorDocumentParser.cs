using System.Text.Json;
using SimpleBase;

namespace ServerlessFedi.Federation;

/// <summary>
/// Reads a remote actor document into <see cref="RemoteActor"/>, tolerating the variants servers emit: <c>publicKey</c>
/// as object or array, keyIds like <c>#main-key</c> or <c>/main-key</c>, missing <c>sharedInbox</c>, compacted or
/// expanded contexts. Returns null (with a reason) for documents that are not actors, are not self-consistent, or have no
/// valid username; links apps open (<c>url</c>, <c>icon</c>, <c>image</c>) are kept only when <see cref="RemoteValues"/> admits them.
/// Every field is bounded before it costs CPU or storage, so the whole document is read even in the inbox's key fetch,
/// before the signature is judged: ids and links <see cref="RemoteValues.MaxUrlLength"/> (the actor id short enough to be a
/// table key), the key PEM <see cref="RemoteValues.MaxPublicKeyPemLength"/>, the name cut at
/// <see cref="RemoteValues.MaxDisplayNameLength"/>, the bio within <see cref="SummaryLimits"/>; the stored row stays far
/// below Azure's limits (one property holds 32,768 characters).
/// </summary>
public static class ActorDocumentParser
{
    /// <summary>
    /// The bio's budget: Mastodon's 20,000 characters of markup, 2,000 elements and attributes, nesting 50 deep; over
    /// those only the text is kept. The result fits one table property.
    /// </summary>
    public static readonly Content.RemoteHtmlLimits SummaryLimits = new(MaxInputChars: RemoteValues.MaxSummaryLength, MaxNodes: 2_000, MaxDepth: 50, MaxOutputChars: Storage.TableLimits.MaxStringChars);

    private static readonly HashSet<string> ActorTypes = new(StringComparer.Ordinal) { "Person", "Organization", "Service", "Application", "Group" };

    public static (RemoteActor? Actor, string? Error) Parse(JsonElement doc, Uri fetchedFrom, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(fetchedFrom);
        if (doc.ValueKind != JsonValueKind.Object)
        {
            return (null, "not a JSON object");
        }

        var id = String(doc, "id");
        var type = TypeOf(doc);
        if (id is null || !Uri.TryCreate(id, UriKind.Absolute, out var idUri))
        {
            return (null, "actor has no absolute id");
        }

        if (!RemoteValues.IsStorableActorId(id))
        {
            return (null, "actor id is too long");
        }

        if (type is null || !ActorTypes.Contains(type))
        {
            return (null, $"'{type}' is not an actor type");
        }

        // The document must come from the origin that its id names, or anyone could publish an actor for another server.
        if (!SameOrigin(idUri, fetchedFrom))
        {
            return (null, $"actor id {id} is not on the host it was fetched from ({fetchedFrom.Host})");
        }

        var inbox = RemoteValues.Bounded(String(doc, "inbox"));
        if (inbox is null || !SameHost(inbox, idUri))
        {
            return (null, "actor has no inbox on its own host");
        }

        string? sharedInbox = null;
        if (doc.TryGetProperty("endpoints", out var endpoints) && endpoints.ValueKind == JsonValueKind.Object)
        {
            sharedInbox = RemoteValues.Bounded(String(endpoints, "sharedInbox"));
            if (sharedInbox is not null && !SameHost(sharedInbox, idUri))
            {
                sharedInbox = null;
            }
        }

        string? keyId = null, pem = null;
        foreach (var key in Many(doc, "publicKey"))
        {
            if (key.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var owner = String(key, "owner") ?? String(key, "controller");
            var candidate = String(key, "id");
            var candidatePem = String(key, "publicKeyPem");
            if (candidate is { Length: <= Signatures.CavageSignature.MaxKeyIdLength } && candidatePem is { Length: <= RemoteValues.MaxPublicKeyPemLength }
                && (owner is null || owner == id) && OnOrigin(candidate, idUri))
            {
                keyId = candidate;
                pem = candidatePem;
                break;
            }
        }

        string? edKeyId = null;
        byte[]? edKey = null;
        foreach (var method in Many(doc, "assertionMethod"))
        {
            if (method.ValueKind == JsonValueKind.Object && TypeOf(method) == "Multikey" && String(method, "controller") == id
                && String(method, "publicKeyMultibase") is { } multibase && String(method, "id") is { Length: <= Signatures.CavageSignature.MaxKeyIdLength } methodId && OnOrigin(methodId, idUri)
                && TryDecodeEd25519Multibase(multibase, out var raw))
            {
                edKeyId = methodId;
                edKey = raw;
                break;
            }
        }

        var url = doc.TryGetProperty("url", out var u) ? u.ValueKind switch
        {
            JsonValueKind.String => u.GetString(),
            JsonValueKind.Object => String(u, "href"),
            JsonValueKind.Array => u.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : String(e, "href")).FirstOrDefault(x => x is not null),
            _ => null,
        } : null;

        // Apps open these links as they are: no javascript: or data: URLs, no profile link to another server (Mastodon
        // drops a url off the actor's host). http only for an http actor, which the guarded client fetches only in tests.
        var allowHttp = idUri.Scheme == Uri.UriSchemeHttp;
        url = RemoteValues.WebUrl(url, allowHttp, sameHostAs: idUri);
        var username = String(doc, "preferredUsername") ?? Uri.UnescapeDataString(idUri.Segments[^1].Trim('/'));
        if (!RemoteValues.IsUsername(username))
        {
            return (null, "actor has no valid preferredUsername (letters, digits and _ joined by . or -)");
        }

        var name = String(doc, "name");
        var published = String(doc, "published") is { } p && DateTimeOffset.TryParse(p, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var pt) ? pt : (DateTimeOffset?)null;
        var summary = String(doc, "summary");
        return (new RemoteActor(id, type, username, name is { Length: > RemoteValues.MaxDisplayNameLength } ? name[..RemoteValues.MaxDisplayNameLength] : name, inbox, sharedInbox, url, keyId, pem, edKeyId, edKey, now)
        {
            Summary = Content.RemoteHtml.Sanitize(summary, SummaryLimits),
            IconUrl = ImageUrl(doc, "icon", allowHttp),
            ImageUrl = ImageUrl(doc, "image", allowHttp),
            Locked = doc.TryGetProperty("manuallyApprovesFollowers", out var locked) && locked.ValueKind == JsonValueKind.True,
            Published = published,
            AlsoKnownAs = Many(doc, "alsoKnownAs").Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : String(e, "id")).Where(RemoteValues.IsStorableActorId).OfType<string>().Take(20).ToList(),
            MovedTo = String(doc, "movedTo") is { } movedTo && RemoteValues.IsStorableActorId(movedTo) ? movedTo : null,
            AttributionDomains = [.. Many(doc, "attributionDomains").Select(e => e.ValueKind == JsonValueKind.String ? Cards.CardCreators.Domain(e.GetString()) : null).OfType<string>().Distinct(StringComparer.Ordinal).Take(Cards.CardCreators.MaxAttributionDomains)],
            FollowersUrl = RemoteValues.Bounded(String(doc, "followers")),
            FollowingUrl = RemoteValues.Bounded(String(doc, "following")),
            FeaturedUrl = RemoteValues.Bounded(String(doc, "featured")),
        }, null);
    }

    /// <summary>The URL of an <c>icon</c>/<c>image</c> (an Image object, a link, or an array of them); https only (http with <paramref name="allowHttp"/>).</summary>
    internal static string? ImageUrl(JsonElement doc, string name, bool allowHttp)
    {
        foreach (var item in Many(doc, name))
        {
            var candidate = item.ValueKind switch
            {
                JsonValueKind.String => item.GetString(),
                JsonValueKind.Object => item.TryGetProperty("url", out var u) ? u.ValueKind switch
                {
                    JsonValueKind.String => u.GetString(),
                    JsonValueKind.Object => String(u, "href"),
                    JsonValueKind.Array => u.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : String(e, "href")).FirstOrDefault(x => x is not null),
                    _ => null,
                } : null,
                _ => null,
            };
            if (RemoteValues.WebUrl(candidate, allowHttp) is { } allowed)
            {
                return allowed;
            }
        }

        return null;
    }

    /// <summary>FEP-521a: <c>z</c> + base58btc(0xed 0x01 + 32-byte Ed25519 key).</summary>
    public static bool TryDecodeEd25519Multibase(string multibase, out byte[] key)
    {
        key = [];
        if (string.IsNullOrEmpty(multibase) || multibase[0] != 'z' || multibase.Length > 100)
        {
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = Base58.Bitcoin.Decode(multibase.AsSpan(1));
        }
        catch (ArgumentException)
        {
            return false;
        }

        if (bytes.Length != 34 || bytes[0] != 0xed || bytes[1] != 0x01)
        {
            return false;
        }

        key = bytes[2..];
        return true;
    }

    internal static string? String(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Object => v.TryGetProperty("id", out var inner) && inner.ValueKind == JsonValueKind.String ? inner.GetString() : null,
            _ => null,
        } : null;

    internal static string? TypeOf(JsonElement obj)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty("type", out var t))
        {
            return null;
        }

        return t.ValueKind switch
        {
            JsonValueKind.String => t.GetString(),
            JsonValueKind.Array => t.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()).FirstOrDefault(),
            _ => null,
        };
    }

    internal static IEnumerable<JsonElement> Many(JsonElement obj, string name)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var v))
        {
            return [];
        }

        return v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().ToArray() : [v];
    }

    /// <summary>Same scheme, host and port (RFC 6454 origin).</summary>
    public static bool SameOrigin(Uri a, Uri b) =>
        Uri.Compare(a, b, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    /// <summary>A key id on the actor's own origin: one on another server (or port) is never the actor's (issue 11, key-id poisoning).</summary>
    private static bool OnOrigin(string keyId, Uri id) =>
        Uri.TryCreate(keyId, UriKind.Absolute, out var key) && SameOrigin(key, id);

    private static bool SameHost(string url, Uri id) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && string.Equals(u.Host, id.Host, StringComparison.OrdinalIgnoreCase)
        && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp);
}
