using System.Text.Json.Nodes;

namespace ServerlessFedi.ActivityPub;

/// <summary>
/// The JSON-LD <c>@context</c> of our documents. Only context URLs that fediverse software ships preloaded
/// (ActivityStreams, security v1, DID v1, Multikey v1) are referenced, so no peer has to fetch one; our extension
/// terms are defined inline as Mastodon does.
/// </summary>
public static class ActivityStreamsContext
{
    public const string ActivityStreams = "https://www.w3.org/ns/activitystreams";
    public const string SecurityV1 = "https://w3id.org/security/v1";
    public const string DidV1 = "https://www.w3.org/ns/did/v1";
    public const string MultikeyV1 = "https://w3id.org/security/multikey/v1";
    public const string Public = "https://www.w3.org/ns/activitystreams#Public";

    /// <summary>Context for actor documents: everything <see cref="ActorMapper"/> emits is defined here.</summary>
    public static JsonArray ForActor() =>
    [
        ActivityStreams,
        SecurityV1,
        DidV1,
        MultikeyV1,
        new JsonObject
        {
            ["toot"] = "http://joinmastodon.org/ns#",
            ["schema"] = "http://schema.org#",
            ["manuallyApprovesFollowers"] = "as:manuallyApprovesFollowers",
            ["featured"] = new JsonObject { ["@id"] = "toot:featured", ["@type"] = "@id" },
            ["featuredTags"] = new JsonObject { ["@id"] = "toot:featuredTags", ["@type"] = "@id" },
            ["discoverable"] = "toot:discoverable",
            ["indexable"] = "toot:indexable",
            ["memorial"] = "toot:memorial",
            ["alsoKnownAs"] = new JsonObject { ["@id"] = "as:alsoKnownAs", ["@type"] = "@id" },
            ["movedTo"] = new JsonObject { ["@id"] = "as:movedTo", ["@type"] = "@id" },
            ["PropertyValue"] = "schema:PropertyValue",
            ["value"] = "schema:value",
        },
    ];
}
