using System.Text.Json;
using ServerlessFedi.Quotes;

namespace ServerlessFedi.Federation;

/// <summary>
/// What a remote note quotes: FEP-044f's <c>quote</c>, else the names Mastodon 4.5 also reads (<c>_misskey_quote</c>,
/// <c>quoteUrl</c>, <c>quoteUri</c>), and its <c>quoteAuthorization</c>. The result is unverified (<see cref="QuoteState.Pending"/>)
/// until <see cref="QuoteVerifier"/> checks the authorization.
/// </summary>
public static class RemoteQuoteParser
{
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

    private static bool IsUrl(string? value) =>
        value is { Length: <= RemoteValues.MaxUrlLength } && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http";
}
