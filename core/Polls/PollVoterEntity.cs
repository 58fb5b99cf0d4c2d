using ServerlessFedi.Storage;

namespace ServerlessFedi.Polls;

/// <summary>Table row of one voter of a poll (PK <c>poll-{statusId}</c>, RK <see cref="StorageKeys.PollVoter"/>).</summary>
internal sealed class PollVoterEntity : StoredEntity
{
    /// <summary>Chosen option indexes, comma-separated, in the order chosen.</summary>
    public string Choices { get; set; } = "";

    public string? AccountId { get; set; }

    public string? ActorId { get; set; }

    /// <summary>A remote voter's inbox, where the poll's <c>Update</c>s go.</summary>
    public string? Inbox { get; set; }
}
