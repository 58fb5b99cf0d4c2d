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
}
