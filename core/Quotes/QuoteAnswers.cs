using System.Text.Json;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Federation.Inbox;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Quotes;

/// <summary>
/// The quoted author's answer to our <c>QuoteRequest</c> (FEP-044f "Requesting, obtaining and validating approval"):
/// an <c>Accept</c> makes the pending quote accepted with its <c>result</c> as <c>quoteAuthorization</c>, a <c>Reject</c>
/// makes it rejected; either way followers get the Note again in an <c>Update</c>. Only the quoted status's author can
/// answer, and an authorization is believed only on that author's origin (and noted, for its revocation:
/// <see cref="RemoteQuoteRevocation"/>). Storage: 1 point read (the quote) + 1-2 reads
/// (the quoted author) + 1-2 reads (our author) + 1 upsert (the authorization's index) + the replace (1 upsert + 1-2 copies) + 1 queue send.
/// </summary>
public sealed class QuoteAnswers(StatusStore statuses, AccountStore accounts, AccountDirectory directory, InstanceUrls urls, StatusPublisher publisher, QuoteStore store)
{
    /// <summary>The suffix of our QuoteRequest's id after the quote's (<see cref="ActivityPub.QuoteActivities.QuoteRequest"/>).</summary>
    public const string RequestSuffix = "/quote_request";

    /// <summary>Whether the activity answers a QuoteRequest (embedded, or by our request's id) rather than a Follow.</summary>
    public static bool Answers(InboundActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var obj = activity.ObjectElement;
        return obj.ValueKind == JsonValueKind.Object ? ActorDocumentParser.TypeOf(obj) == "QuoteRequest" : activity.ObjectId?.EndsWith(RequestSuffix, StringComparison.Ordinal) == true;
    }

    /// <summary>Applies the answer; false when it answers no pending quote of ours, or comes from someone else than the quoted author.</summary>
    public async Task<bool> ApplyAsync(InboundActivity activity, bool accepted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var obj = activity.ObjectElement;
        var quoteUri = obj.ValueKind == JsonValueKind.Object ? ActorDocumentParser.String(obj, "instrument") : activity.ObjectId?[..^RequestSuffix.Length];
        var status = urls.StatusIdOf(quoteUri) is { } id ? await statuses.GetAsync(id, cancellationToken) : null;
        if (status is not { IsLocal: true, DeletedAt: null, Quote: { State: QuoteState.Pending, QuotedAccountId: { } quotedAccountId } quote })
        {
            return false;
        }

        var result = ActorDocumentParser.String(activity.Activity, "result");
        var quotedAuthor = await directory.GetByApiIdAsync(quotedAccountId, cancellationToken);
        if (quotedAuthor?.ActorId != activity.ActorId
            || accepted && !(Uri.TryCreate(result, UriKind.Absolute, out var at) && ActorDocumentParser.SameOrigin(at, new Uri(activity.ActorId))))
        {
            return false;
        }

        if (await accounts.GetByIdAsync(status.AccountId, cancellationToken) is not { } author)
        {
            return false;
        }

        if (accepted)
        {
            await store.IndexAuthorizationAsync(result!, quoteUri!, cancellationToken);
        }

        var answered = status with { Quote = quote with { State = accepted ? QuoteState.Accepted : QuoteState.Rejected, AuthorizationUri = accepted ? result : null } };
        await statuses.ReplaceAsync(answered, cancellationToken);
        await publisher.PublishUpdateAsync(status, answered, author, cancellationToken);
        return true;
    }
}
