using System.Text.Json.Nodes;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Signatures;

namespace ServerlessFedi.Federation;

/// <summary>
/// Adds a FEP-8b32 <c>eddsa-jcs-2022</c> proof to an activity of a local account, made with the account's Ed25519
/// key as published in its <c>assertionMethod</c> (FEP-521a). Called once when an activity is enqueued, so every
/// delivery of it carries the same proof and no private key enters a queue message. CPU only (about 0.1 ms).
/// </summary>
public sealed class ActivitySigner(InstanceUrls urls, TimeProvider time)
{
    /// <summary>A signed copy of <paramref name="activity"/> (the caller's object is left as it was, e.g. to be embedded in an Undo later); the data-integrity context is added to its <c>@context</c> so JSON-LD processors see <c>proof</c>'s terms.</summary>
    public JsonObject Sign(LocalAccount account, JsonObject activity)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(activity);
        if (account.Ed25519PrivateKey is not { Length: 32 })
        {
            return activity; // no Ed25519 key: the HTTP signature alone authenticates it
        }

        var signed = (JsonObject)activity.DeepClone();
        signed["@context"] = WithDataIntegrity(signed["@context"]);
        return ObjectIntegrityProof.Sign(signed, urls.ActorEd25519Key(account.Username), account.Ed25519PrivateKey, time.GetUtcNow());
    }

    private static JsonArray WithDataIntegrity(JsonNode? context)
    {
        var items = context switch
        {
            null => [],
            JsonArray array => array.Select(x => x?.DeepClone()).ToList(),
            _ => [context.DeepClone()],
        };
        if (!items.Any(x => x is JsonValue v && v.TryGetValue<string>(out var s) && s == ObjectIntegrityProof.DataIntegrityContext))
        {
            // After the contexts already there, but before inline term definitions, as Fedify orders them.
            var at = items.FindIndex(x => x is JsonObject);
            items.Insert(at < 0 ? items.Count : at, JsonValue.Create(ObjectIntegrityProof.DataIntegrityContext));
        }

        return new JsonArray([.. items]);
    }
}
