using ServerlessFedi.MastodonApi.Entities;

namespace ServerlessFedi.MastodonApi.Mapping;

/// <summary>Relationships onto the wire (docs: entities/Relationship). Muting an account mutes its notifications too; endorsements and notify-on-post do not exist here.</summary>
public static class RelationshipMapper
{
    public static Relationship ToRelationship(Federation.Relationship r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new Relationship
        {
            Id = r.Id,
            Following = r.Following,
            ShowingReblogs = r.ShowingReblogs,
            FollowedBy = r.FollowedBy,
            Blocking = r.Blocking,
            BlockedBy = r.BlockedBy,
            Muting = r.Muting,
            MutingNotifications = r.Muting,
            Requested = r.Requested,
            RequestedBy = r.RequestedBy,
            DomainBlocking = r.DomainBlocking,
            Note = r.Note,
        };
    }
}
