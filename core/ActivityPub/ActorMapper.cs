using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Crypto;

namespace ServerlessFedi.ActivityPub;

/// <summary>Converts local accounts to ActivityStreams actor documents (the shape Mastodon's ActorSerializer emits).</summary>
public sealed class ActorMapper(InstanceUrls urls)
{
    public JsonObject ToActor(LocalAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var id = urls.Actor(account.Username);
        var actor = new JsonObject
        {
            ["@context"] = ActivityStreamsContext.ForActor(),
            ["id"] = id,
            ["type"] = account.ActorType.ToString(),
            ["preferredUsername"] = account.Username,
            ["name"] = account.DisplayName,
            ["summary"] = account.Note,
            ["url"] = urls.Profile(account.Username),
            ["inbox"] = urls.Inbox(account.Username),
            ["outbox"] = urls.Outbox(account.Username),
            ["followers"] = urls.Followers(account.Username),
            ["following"] = urls.Following(account.Username),
            ["featured"] = urls.Featured(account.Username),
            ["featuredTags"] = urls.FeaturedTags(account.Username),
            ["endpoints"] = new JsonObject { ["sharedInbox"] = urls.SharedInbox },
            ["manuallyApprovesFollowers"] = account.Locked,
            ["discoverable"] = account.Discoverable,
            ["indexable"] = account.Indexable,
            ["memorial"] = false,
            ["published"] = FormatTime(account.CreatedAt),
            ["publicKey"] = new JsonObject
            {
                ["id"] = urls.ActorKey(account.Username),
                ["owner"] = id,
                ["publicKeyPem"] = account.RsaPublicKeyPem,
            },
            ["assertionMethod"] = new JsonArray(new JsonObject
            {
                ["id"] = urls.ActorEd25519Key(account.Username),
                ["type"] = "Multikey",
                ["controller"] = id,
                ["publicKeyMultibase"] = ActorKeys.ToMultibase(account.Ed25519PublicKey),
            }),
            ["tag"] = new JsonArray(),
            ["attachment"] = new JsonArray(account.Fields.Select(f => (JsonNode)new JsonObject
            {
                ["type"] = "PropertyValue",
                ["name"] = f.Name,
                ["value"] = f.ValueHtml(),
            }).ToArray()),
        };
        if (account.AlsoKnownAs.Count > 0)
        {
            actor["alsoKnownAs"] = new JsonArray([.. account.AlsoKnownAs.Select(a => (JsonNode)JsonValue.Create(a))]);
        }

        if (account.MovedTo is { } movedTo)
        {
            actor["movedTo"] = movedTo;
        }

        if (account.AvatarBlob is { } avatar)
        {
            actor["icon"] = new JsonObject { ["type"] = "Image", ["mediaType"] = account.AvatarContentType, ["url"] = urls.Media(avatar) };
        }

        if (account.HeaderBlob is { } header)
        {
            actor["image"] = new JsonObject { ["type"] = "Image", ["mediaType"] = account.HeaderContentType, ["url"] = urls.Media(header) };
        }

        return actor;
    }

    /// <summary>The instance actor, as Mastodon publishes it at <c>/actor</c>: an Application named after the domain.</summary>
    public JsonObject ToInstanceActor(InstanceActor instance, string instanceTitle)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var id = urls.InstanceActor;
        return new JsonObject
        {
            ["@context"] = new JsonArray(ActivityStreamsContext.ActivityStreams, ActivityStreamsContext.SecurityV1, new JsonObject
            {
                ["manuallyApprovesFollowers"] = "as:manuallyApprovesFollowers",
            }),
            ["id"] = id,
            ["type"] = "Application",
            ["preferredUsername"] = urls.WebDomain,
            ["name"] = instanceTitle,
            ["url"] = urls.About,
            ["inbox"] = urls.InstanceActorInbox,
            ["outbox"] = urls.InstanceActorOutbox,
            ["endpoints"] = new JsonObject { ["sharedInbox"] = urls.SharedInbox },
            ["manuallyApprovesFollowers"] = true,
            ["published"] = FormatTime(instance.CreatedAt),
            ["publicKey"] = new JsonObject
            {
                ["id"] = urls.InstanceActorKey,
                ["owner"] = id,
                ["publicKeyPem"] = instance.RsaPublicKeyPem,
            },
        };
    }

    /// <summary>
    /// What a deleted account's actor URL answers (with 410): a Tombstone naming what it was, as Mastodon does for a
    /// deleted account (ActivityStreams vocabulary §Tombstone, <c>formerType</c>).
    /// </summary>
    public JsonObject ToTombstone(LocalAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new JsonObject
        {
            ["@context"] = ActivityStreamsContext.ActivityStreams,
            ["id"] = urls.Actor(account.Username),
            ["type"] = "Tombstone",
            ["formerType"] = account.ActorType.ToString(),
            ["deleted"] = account.DeletedAt is { } d ? FormatTime(d) : null,
        };
    }

    /// <summary>ActivityStreams timestamps: UTC, second precision, as Mastodon writes them.</summary>
    public static string FormatTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
