using ServerlessFedi.ActivityPub;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Federation;

/// <summary>
/// Checks, at each attempt, that a delivery still says what is true, so an inbox that was down never receives a stale
/// activity after a newer one: a Create, Update and Delete of one status are separate fan-outs, and a Create may be
/// retried for two days. A deleted account sends nothing but Deletes. For a status (<see cref="DeliverySubject"/>):
/// <list type="bullet">
/// <item>deleted (or gone): nothing but its Delete;</item>
/// <item>edited since a Create was queued: the Create carries the current version, with a fresh FEP-8b32 proof;</item>
/// <item>edited since an Update was queued: nothing, because the newer edit queued its own Update for the same
/// inboxes (followers, and the inboxes mentioned before and after that edit, a superset of this Update's);</item>
/// <item>otherwise, and for every other activity, the activity as queued.</item>
/// </list>
/// Statuses are kept in memory for <see cref="Lifetime"/>, so a first attempt of a 6,000-inbox fan-out reads its status
/// about once per process; retries read it afresh (a retry already costs a POST and a queue message). A Create re-made for
/// an edited status is kept as long, per version, so its JSON and FEP-8b32 proof are made once per page, not per inbox.
/// Storage: 0, or 1 point read per status per <see cref="Lifetime"/> per process, or 1 per fresh check.
/// </summary>
public sealed class DeliveryRecheck(StatusStore statuses, NoteMapper notes, ActivitySigner signer, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(15);

    public const int Capacity = 1_000;

    private readonly ExpiringCache<Status?> _statuses = new(Lifetime, Capacity, time);

    /// <summary>The Create of an edited status's current version, signed, by status id and version.</summary>
    private readonly ExpiringCache<string> _creates = new(Lifetime, Capacity, time);

    /// <summary>The version of a status a delivery carries: when it was last edited, else when it was created.</summary>
    public static DateTimeOffset VersionOf(Status status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.EditedAt ?? status.CreatedAt;
    }

    /// <summary>What to send for <paramref name="message"/>, whose queued activity is <paramref name="json"/>; <paramref name="fresh"/> reads the status again.</summary>
    public async Task<DeliveryDecision> CheckAsync(DeliveryMessage message, DeliverySender sender, string json, bool fresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(sender);
        var subject = message.Subject;
        if (sender.Deleted && (subject?.Type ?? TypeOf(json)) != DeliverySubject.Delete)
        {
            // A post queued before the deletion must not reappear after it.
            return new DeliveryDecision.Drop("the account was deleted");
        }

        if (subject is null || subject.Type == DeliverySubject.Delete)
        {
            return new DeliveryDecision.Send(json);
        }

        var status = await GetAsync(subject.StatusId, fresh, cancellationToken);
        if (status is null || status.DeletedAt is not null)
        {
            return new DeliveryDecision.Drop($"status {subject.StatusId} was deleted: its Delete is queued");
        }

        if (VersionOf(status) <= subject.Version)
        {
            return new DeliveryDecision.Send(json);
        }

        if (subject.Type == DeliverySubject.Update || sender.Account is not { } author)
        {
            return new DeliveryDecision.Drop($"status {subject.StatusId} was edited again: the newer Update is queued");
        }

        var version = subject.StatusId + "|" + VersionOf(status).UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new DeliveryDecision.Send(await _creates.GetOrLoadAsync(version, () => Task.FromResult(signer.Sign(author, notes.Create(status, author)).ToJsonString())));
    }

    private Task<Status?> GetAsync(string statusId, bool fresh, CancellationToken cancellationToken) =>
        _statuses.GetOrLoadAsync(statusId, () => statuses.GetAsync(statusId, cancellationToken), fresh);

    private static string? TypeOf(string json)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            return ActorDocumentParser.TypeOf(doc.RootElement);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
