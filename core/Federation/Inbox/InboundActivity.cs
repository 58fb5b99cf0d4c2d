using System.Text.Json;

namespace ServerlessFedi.Federation.Inbox;

/// <summary>
/// An inbound activity being applied: the JSON, the actor it is by (its <c>actor</c>, which the inbox checked against the
/// signer, else the signer) and the queue message it came in.
/// </summary>
public sealed record InboundActivity(JsonElement Activity, string ActorId, InboxMessage Message)
{
    public string? Type => ActorDocumentParser.TypeOf(Activity);

    public string? Id => ActorDocumentParser.String(Activity, "id");

    /// <summary>The <c>object</c> when it is a reference, or an embedded object's <c>id</c>.</summary>
    public string? ObjectId => ActorDocumentParser.String(Activity, "object");

    /// <summary>The <c>object</c> as sent: embedded, a reference, or undefined.</summary>
    public JsonElement ObjectElement => Activity.TryGetProperty("object", out var obj) ? obj : default;
}
