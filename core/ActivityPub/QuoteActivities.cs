using System.Text.Json.Nodes;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Quotes;

namespace ServerlessFedi.ActivityPub;

/// <summary>
/// The FEP-044f vocabulary we send (as Mastodon 4.5 does): a <c>QuoteAuthorization</c> at its own URL, the <c>Accept</c>
/// (its <c>result</c> that URL) or <c>Reject</c> of a <c>QuoteRequest</c>, the <c>Delete</c> that revokes an
/// authorization (its URL only, never the quote or the quoted status), and our own <c>QuoteRequest</c>.
/// </summary>
public sealed class QuoteActivities(InstanceUrls urls)
{
    /// <summary>The terms of FEP-044f and GoToSocial's interaction policies that our documents use (Mastodon's context).</summary>
    public static void AddTerms(JsonObject context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context["gts"] = "https://gotosocial.org/ns#";
        context["interactionPolicy"] = new JsonObject { ["@id"] = "gts:interactionPolicy", ["@type"] = "@id" };
        context["canQuote"] = new JsonObject { ["@id"] = "gts:canQuote", ["@type"] = "@id" };
        context["automaticApproval"] = new JsonObject { ["@id"] = "gts:automaticApproval", ["@type"] = "@id" };
        context["manualApproval"] = new JsonObject { ["@id"] = "gts:manualApproval", ["@type"] = "@id" };
        context["interactingObject"] = new JsonObject { ["@id"] = "gts:interactingObject", ["@type"] = "@id" };
        context["interactionTarget"] = new JsonObject { ["@id"] = "gts:interactionTarget", ["@type"] = "@id" };
        context["QuoteRequest"] = "https://w3id.org/fep/044f#QuoteRequest";
        context["QuoteAuthorization"] = "https://w3id.org/fep/044f#QuoteAuthorization";
        context["quote"] = new JsonObject { ["@id"] = "https://w3id.org/fep/044f#quote", ["@type"] = "@id" };
        context["quoteAuthorization"] = new JsonObject { ["@id"] = "https://w3id.org/fep/044f#quoteAuthorization", ["@type"] = "@id" };
        context["quoteUri"] = "http://fedibird.com/ns#quoteUri";
        context["_misskey_quote"] = "https://misskey-hub.net/ns#_misskey_quote";
    }

    public static JsonArray Context()
    {
        var terms = new JsonObject();
        AddTerms(terms);
        return [ActivityStreamsContext.ActivityStreams, terms];
    }

    /// <summary>Where the authorization of a quote of the status is published.</summary>
    public string AuthorizationUri(string username, string quotedStatusId, string authorizationId) =>
        urls.QuoteAuthorization(username, quotedStatusId, authorizationId);

    /// <summary>
    /// The authorization document (FEP-044f "Approval stamps"): by the quoted author, naming the quote and the quoted
    /// status by id only (neither is embedded, so the stamp reveals nothing of either).
    /// </summary>
    public JsonObject Authorization(QuoteAuthorization authorization, LocalAccount author)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        ArgumentNullException.ThrowIfNull(author);
        return new JsonObject
        {
            ["@context"] = Context(),
            ["id"] = AuthorizationUri(author.Username, authorization.QuotedStatusId, authorization.Id),
            ["type"] = "QuoteAuthorization",
            ["attributedTo"] = urls.Actor(author.Username),
            ["interactingObject"] = authorization.QuoteUri,
            ["interactionTarget"] = urls.Status(author.Username, authorization.QuotedStatusId),
        };
    }

    /// <summary>The QuoteRequest as answered: its id, actor, object and the quote by id (FEP-044f's Accept and Reject embed it so).</summary>
    public static JsonObject Request(string? id, string actorId, string quotedUri, string quoteUri) => new()
    {
        ["id"] = id,
        ["type"] = "QuoteRequest",
        ["actor"] = actorId,
        ["object"] = quotedUri,
        ["instrument"] = quoteUri,
    };

    /// <summary>Accept of a QuoteRequest whose <c>result</c> is the authorization's URL, to the quote's author.</summary>
    public JsonObject Accept(LocalAccount author, JsonObject request, string authorizationUri)
    {
        var accept = Answer(author, request, "Accept", "accepts");
        accept["result"] = authorizationUri;
        return accept;
    }

    /// <summary>Reject of a QuoteRequest, to the requester: the same whether the status is unknown, hidden from it or not quotable by it.</summary>
    public JsonObject Reject(LocalAccount author, JsonObject request) => Answer(author, request, "Reject", "rejects");

    /// <summary>Delete of an authorization (FEP-044f "Revoking"): its URL only, to the quote's author.</summary>
    public JsonObject DeleteAuthorization(LocalAccount author, string authorizationUri, string quotingActorId)
    {
        ArgumentNullException.ThrowIfNull(author);
        return new JsonObject
        {
            ["@context"] = Context(),
            ["id"] = $"{authorizationUri}#delete",
            ["type"] = "Delete",
            ["actor"] = urls.Actor(author.Username),
            ["to"] = new JsonArray(quotingActorId),
            ["object"] = authorizationUri,
        };
    }

    /// <summary>Our QuoteRequest for the quote <paramref name="note"/> (embedded as <c>instrument</c>), to the quoted author.</summary>
    public JsonObject QuoteRequest(LocalAccount quoter, JsonObject note, string quotedUri, string quotedAuthorActorId)
    {
        ArgumentNullException.ThrowIfNull(quoter);
        ArgumentNullException.ThrowIfNull(note);
        var instrument = (JsonObject)note.DeepClone();
        instrument.Remove("@context");
        return new JsonObject
        {
            ["@context"] = Context(),
            ["id"] = $"{(string?)note["id"]}{Quotes.QuoteAnswers.RequestSuffix}",
            ["type"] = "QuoteRequest",
            ["actor"] = urls.Actor(quoter.Username),
            ["to"] = new JsonArray(quotedAuthorActorId),
            ["object"] = quotedUri,
            ["instrument"] = instrument,
        };
    }

    private JsonObject Answer(LocalAccount author, JsonObject request, string type, string path)
    {
        ArgumentNullException.ThrowIfNull(author);
        ArgumentNullException.ThrowIfNull(request);
        var actor = urls.Actor(author.Username);
        var key = (string?)request["id"] ?? (string?)request["instrument"] ?? "";
        return new JsonObject
        {
            ["@context"] = Context(),
            ["id"] = $"{actor}#{path}/quote_requests/{Storage.StorageKeys.Sha256Hex(key)[..16]}",
            ["type"] = type,
            ["actor"] = actor,
            ["to"] = new JsonArray((string?)request["actor"]),
            ["object"] = request,
        };
    }
}
