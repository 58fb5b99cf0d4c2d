using System.Text.Json;
using ServerlessFedi.Quotes;

namespace ServerlessFedi.Federation;

/// <summary>
/// What a remote note quotes: FEP-044f's <c>quote</c>, else the names Mastodon 4.5 also reads (<c>_misskey_quote</c>,
/// <c>quoteUrl</c>, <c>quoteUri</c>), and its <c>quoteAuthorization</c>. The result is unverified (<see cref="QuoteState.Pending"/>)
/// until <see cref="QuoteVerifier"/> checks the authorization. Also who may quote the note (<see cref="Policy"/>).
/// </summary>
public static class RemoteQuoteParser
{
    /// <summary>Entries of one approval list looked at; a longer list counts as naming actors this server does not check.</summary>
    public const int MaxPolicyEntries = 64;

    private static readonly string[] Names = ["quote", "_misskey_quote", "quoteUrl", "quoteUri"];

    public static StatusQuote? Parse(JsonElement note)
    {
        if (note.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var quoted = Names.Select(n => ActorDocumentParser.String(note, n)).FirstOrDefault(IsUrl);
        if (quoted is null)
        {
            return null;
        }

        var authorization = ActorDocumentParser.String(note, "quoteAuthorization");
        return new StatusQuote { QuotedUri = quoted, AuthorizationUri = IsUrl(authorization) ? authorization : null, State = QuoteState.Pending };
    }

    /// <summary>
    /// <c>interactionPolicy.canQuote</c> of a note by <paramref name="author"/> (FEP-044f, GoToSocial's interaction
    /// policies, read as Mastodon 4.5 reads them): in <c>automaticApproval</c> and <c>manualApproval</c> the public
    /// collection, the author's <c>followers</c> and <c>following</c> collections are recognised, the author itself
    /// admits nobody else, anything else is <see cref="QuoteAudience.Unsupported"/>. Null when the note has no
    /// <c>canQuote</c>: Mastodon lets nobody quote such a note.
    /// </summary>
    public static CanQuote? Policy(JsonElement note, RemoteActor author)
    {
        ArgumentNullException.ThrowIfNull(author);
        if (note.ValueKind != JsonValueKind.Object || !note.TryGetProperty("interactionPolicy", out var policy) || policy.ValueKind != JsonValueKind.Object
            || !policy.TryGetProperty("canQuote", out var canQuote) || canQuote.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return new CanQuote(Audience(canQuote, "automaticApproval", author), Audience(canQuote, "manualApproval", author));
    }

    private static QuoteAudience Audience(JsonElement rule, string name, RemoteActor author)
    {
        var entries = ActorDocumentParser.Many(rule, name).ToList();
        var audience = entries.Count > MaxPolicyEntries ? QuoteAudience.Unsupported : QuoteAudience.None;
        foreach (var entry in entries.Take(MaxPolicyEntries))
        {
            var id = entry.ValueKind == JsonValueKind.String ? entry.GetString() : ActorDocumentParser.String(entry, "id");
            audience |= id switch
            {
                null => QuoteAudience.None,
                ActivityPub.ActivityStreamsContext.Public or "as:Public" or "Public" => QuoteAudience.Public,
                _ when id == author.FollowersUrl => QuoteAudience.Followers,
                _ when id == author.FollowingUrl => QuoteAudience.Following,
                _ when id == author.Id => QuoteAudience.None,
                _ => QuoteAudience.Unsupported,
            };
        }

        return audience;
    }

    private static bool IsUrl(string? value) =>
        value is { Length: <= RemoteValues.MaxUrlLength } && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http";
}
