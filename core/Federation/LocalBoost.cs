namespace ServerlessFedi.Federation;

/// <summary>
/// What a local account's boost of a local status leaves to its Announce's fan-out message (<see cref="FanoutMessage.Boost"/>,
/// <c>InteractionEffects.ApplyBoostAsync</c>): the boost's record (<c>reblogged_by</c>, an edit's boosters; the request writes
/// only the booster's mark), the author's notification and the counts on the author's list of statuses.
/// The message is sent before the request counts the boost, so a counted boost has them on their way, and a request that
/// dies before counting leaves the count to it. The booster is the message's <see cref="FanoutMessage.SenderId"/>.
/// </summary>
/// <param name="ActorId">The booster's actor id (the boost's record and count are keyed by it).</param>
/// <param name="StatusId">The boosted status.</param>
/// <param name="AnnounceId">The boost's <c>Announce</c> id: the notification's cause, and the record's activity id.</param>
/// <param name="Audit">The request's audit row (team access), recorded by the message instead of the request.</param>
public sealed record LocalBoost(string ActorId, string StatusId, string AnnounceId, Team.PendingAudit? Audit = null);
