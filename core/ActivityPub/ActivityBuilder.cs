using System.Text.Json.Nodes;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Storage;

namespace ServerlessFedi.ActivityPub;

/// <summary>Builds the activities we send. Ids are stable for the same input, so a retried build produces the same activity.</summary>
public sealed class ActivityBuilder(InstanceUrls urls, ActorMapper actors)
{
    /// <summary>Accept of a Follow, embedding the Follow as Mastodon does (its id alone is not dereferenceable for everyone).</summary>
    public JsonObject AcceptFollow(LocalAccount account, string followActivityId, string followerActorId)
    {
        ArgumentNullException.ThrowIfNull(account);
        var actor = urls.Actor(account.Username);
        return new JsonObject
        {
            ["@context"] = ActivityStreamsContext.ActivityStreams,
            ["id"] = $"{actor}#accepts/follows/{StorageKeys.Sha256Hex(followActivityId)[..16]}",
            ["type"] = "Accept",
            ["actor"] = actor,
            ["object"] = new JsonObject
            {
                ["id"] = followActivityId,
                ["type"] = "Follow",
                ["actor"] = followerActorId,
                ["object"] = actor,
            },
        };
    }

    /// <summary>Reject of a Follow (a locked account declined, or the follower is blocked).</summary>
    public JsonObject RejectFollow(LocalAccount account, string followActivityId, string followerActorId)
    {
        var reject = AcceptFollow(account, followActivityId, followerActorId);
        reject["id"] = $"{urls.Actor(account.Username)}#rejects/follows/{StorageKeys.Sha256Hex(followActivityId)[..16]}";
        reject["type"] = "Reject";
        return reject;
    }

    /// <summary>
    /// Delete of the account itself (Mastodon's shape: the object is the actor id). Receivers drop the account, its posts
    /// and its follows; they verify the signature with the key they cached, as the actor URL now answers 410.
    /// </summary>
    public JsonObject DeleteActor(LocalAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var actor = urls.Actor(account.Username);
        return new JsonObject
        {
            ["@context"] = ActivityStreamsContext.ActivityStreams,
            ["id"] = $"{actor}#delete",
            ["type"] = "Delete",
            ["actor"] = actor,
            ["to"] = new JsonArray(ActivityStreamsContext.Public),
            ["object"] = actor,
        };
    }

    /// <summary>Update of the actor after a profile change; followers' servers refresh their copy.</summary>
    public JsonObject UpdatePerson(LocalAccount account, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        var actor = actors.ToActor(account);
        var context = actor["@context"]!.DeepClone();
        actor.Remove("@context");
        var id = urls.Actor(account.Username);
        return new JsonObject
        {
            ["@context"] = context,
            ["id"] = $"{id}#updates/{now.ToUnixTimeMilliseconds()}",
            ["type"] = "Update",
            ["actor"] = id,
            ["to"] = new JsonArray(ActivityStreamsContext.Public),
            ["cc"] = new JsonArray(urls.Followers(account.Username)),
            ["object"] = actor,
        };
    }

    /// <summary>Follow of <paramref name="targetActorId"/>; the id names the follower, so an Accept referring to it by id alone can be traced back.</summary>
    /// <summary>
    /// <c>Move</c> of the account to <paramref name="targetActorId"/> (ActivityStreams vocabulary §Move, as Mastodon sends it
    /// after a migration): actor and object are the account, addressed to its followers.
    /// </summary>
    public JsonObject Move(LocalAccount account, string targetActorId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        var id = urls.Actor(account.Username);
        return new JsonObject
        {
            ["@context"] = ActivityStreamsContext.ActivityStreams,
            ["id"] = $"{id}#moves/{now.ToUnixTimeMilliseconds()}",
            ["type"] = "Move",
            ["actor"] = id,
            ["object"] = id,
            ["target"] = targetActorId,
            ["to"] = new JsonArray(urls.Followers(account.Username)),
        };
    }

    public JsonObject Follow(LocalAccount account, string targetActorId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        var actor = urls.Actor(account.Username);
        return new JsonObject
        {
            ["@context"] = ActivityStreamsContext.ActivityStreams,
            ["id"] = $"{actor}#follows/{StorageKeys.Sha256Hex(targetActorId)[..16]}/{now.ToUnixTimeMilliseconds()}",
            ["type"] = "Follow",
            ["actor"] = actor,
            ["object"] = targetActorId,
        };
    }

    /// <summary>Like of a status (by its ActivityPub id); stable id per account and object.</summary>
    public JsonObject Like(LocalAccount account, string objectId) => Simple(account, "Like", "likes", objectId, null);

    /// <summary>Announce (boost) of a status, addressed like a public post.</summary>
    public JsonObject Announce(LocalAccount account, string objectId, string objectAuthorActorId, DateTimeOffset now)
    {
        var announce = Simple(account, "Announce", "announces", objectId, objectAuthorActorId);
        announce["published"] = ActorMapper.FormatTime(now);
        return announce;
    }

    /// <summary>Block of an actor (Mastodon sends it so the other server can hide our account from them).</summary>
    public JsonObject Block(LocalAccount account, string targetActorId) => Simple(account, "Block", "blocks", targetActorId, targetActorId);

    /// <summary>Undo of an activity we sent, embedding it so the receiver need not dereference it.</summary>
    public JsonObject Undo(LocalAccount account, JsonObject activity)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(activity);
        var inner = (JsonObject)activity.DeepClone();
        inner.Remove("@context");
        var actor = urls.Actor(account.Username);
        return new JsonObject
        {
            ["@context"] = ActivityStreamsContext.ActivityStreams,
            ["id"] = $"{inner["id"]!.GetValue<string>()}/undo",
            ["type"] = "Undo",
            ["actor"] = actor,
            ["to"] = inner["to"]?.DeepClone(),
            ["cc"] = inner["cc"]?.DeepClone(),
            ["object"] = inner,
        };
    }

    private JsonObject Simple(LocalAccount account, string type, string path, string objectId, string? audience)
    {
        ArgumentNullException.ThrowIfNull(account);
        var actor = urls.Actor(account.Username);
        var activity = new JsonObject
        {
            ["@context"] = ActivityStreamsContext.ActivityStreams,
            ["id"] = $"{actor}#{path}/{StorageKeys.Sha256Hex(objectId)[..16]}",
            ["type"] = type,
            ["actor"] = actor,
            ["object"] = objectId,
        };
        if (type == "Announce")
        {
            activity["to"] = new JsonArray(ActivityStreamsContext.Public);
            activity["cc"] = new JsonArray(audience, urls.Followers(account.Username));
        }
        else if (audience is not null)
        {
            activity["to"] = new JsonArray(audience);
        }

        return activity;
    }
}
