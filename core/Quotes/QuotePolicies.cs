using ServerlessFedi.Statuses;

namespace ServerlessFedi.Quotes;

/// <summary>
/// The quote policy rules in one place. Mastodon 4.5 lets public and unlisted statuses be quoted by anyone unless the
/// author chose otherwise, and never lets followers-only or direct statuses be quoted by anyone but their author.
/// </summary>
public static class QuotePolicies
{
    /// <summary>The policy that applies to <paramref name="status"/>: its own within what its visibility allows.</summary>
    public static QuotePolicy Effective(Status status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.Visibility is Visibility.Public or Visibility.Unlisted ? status.QuotePolicy ?? QuotePolicy.Public : QuotePolicy.Nobody;
    }

    /// <summary>The API's name of a policy (<c>public</c>, <c>followers</c>, <c>nobody</c>).</summary>
    public static string Name(QuotePolicy policy) => policy.ToString().ToLowerInvariant();

    /// <summary>
    /// <c>quote_approval_policy</c> as a client sends it; null text is no choice. False for anything else than the three
    /// names (Mastodon answers 422).
    /// </summary>
    public static bool TryParse(string? text, out QuotePolicy? policy)
    {
        policy = text switch
        {
            "public" => QuotePolicy.Public,
            "followers" => QuotePolicy.Followers,
            "nobody" => QuotePolicy.Nobody,
            _ => null,
        };
        return policy is not null || string.IsNullOrEmpty(text);
    }
}
