using System.Text.Json;
using ServerlessFedi.Configuration;
using ServerlessFedi.Quotes;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Federation;

/// <summary>
/// The state of a remote note's quote (FEP-044f "Verifying third-party quote posts"): approved only by its own author
/// (a self-quote) or by a valid <c>QuoteAuthorization</c>. A quote of a local status is checked against our own
/// authorizations, without a request. Otherwise the authorization is fetched through the guarded client, only from the
/// quoted author's origin, and must be a <c>QuoteAuthorization</c> attributed to the quoted status's author, naming this
/// quote as <c>interactingObject</c> and the quoted status as <c>interactionTarget</c>. A quoted status not stored here
/// stays <c>pending</c> (it could not be shown anyway); a claimed authorization that does not verify is <c>unauthorized</c>.
/// Storage: 1 point read (the quoted status by URI, or our authorization) + 1 point read (the quoted status) + 1-2 reads
/// (its author); remote + 1 GET + 1 upsert (the authorization's index, when it verifies).
/// </summary>
public sealed class QuoteVerifier(InstanceUrls urls, QuoteStore quotes, StatusStore statuses, AccountDirectory directory, RemoteObjectFetcher objects)
{
    public async Task<StatusQuote?> VerifyAsync(Status quote, string authorActorId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(quote);
        if (quote.Quote is not { } claimed || quote.Uri is null)
        {
            return quote.Quote;
        }

        if (urls.StatusIdOf(claimed.QuotedUri) is { } localId)
        {
            var authorization = await quotes.GetAsync(localId, Storage.StorageKeys.QuoteAuthorizationId(quote.Uri), cancellationToken);
            var state = authorization is null || authorization.QuotingActorId != authorActorId ? QuoteState.Pending
                : authorization.RevokedAt is null ? QuoteState.Accepted
                : QuoteState.Revoked;
            return claimed with { QuotedStatusId = localId, State = state };
        }

        var quotedId = await statuses.GetIdByUriAsync(claimed.QuotedUri, cancellationToken);
        var quoted = quotedId is null ? null : await statuses.GetAsync(quotedId, cancellationToken);
        var quotedAuthor = quoted is null ? null : await directory.GetByApiIdAsync(quoted.AccountId, cancellationToken);
        if (quoted is null || quotedAuthor is null)
        {
            return claimed with { State = QuoteState.Pending };
        }

        claimed = claimed with { QuotedStatusId = quoted.Id };
        if (quotedAuthor.ActorId == authorActorId)
        {
            return claimed with { State = QuoteState.Accepted };
        }

        if (claimed.AuthorizationUri is not { } authorizationUri)
        {
            return claimed with { State = QuoteState.Pending };
        }

        var verified = Uri.TryCreate(authorizationUri, UriKind.Absolute, out var at) && ActorDocumentParser.SameOrigin(at, new Uri(quotedAuthor.ActorId))
            && await objects.FetchAsync(authorizationUri, cancellationToken) is { } doc
            && Valid(doc, quotedAuthor.ActorId, quote.Uri, claimed.QuotedUri);
        if (verified)
        {
            // Its author may delete it later (RemoteQuoteRevocation).
            await quotes.IndexAuthorizationAsync(authorizationUri, quote.Uri, cancellationToken);
        }

        return claimed with { State = verified ? QuoteState.Accepted : QuoteState.Unauthorized };
    }

    private static bool Valid(JsonElement doc, string quotedAuthor, string quoteUri, string quotedUri) =>
        ActorDocumentParser.TypeOf(doc) == "QuoteAuthorization"
        && ActorDocumentParser.String(doc, "attributedTo") == quotedAuthor
        && ActorDocumentParser.String(doc, "interactingObject") == quoteUri
        && ActorDocumentParser.String(doc, "interactionTarget") == quotedUri;
}
