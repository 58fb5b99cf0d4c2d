using ServerlessFedi.Statuses;

namespace ServerlessFedi.Quotes;

/// <summary>
/// The quote policy rules in one place. Mastodon 4.5 lets public and unlisted statuses be quoted by anyone unless the
/// author chose otherwise, and never lets followers-only or direct statuses be quoted by anyone but their author; a
/// remote status is quotable as its <c>interactionPolicy.canQuote</c> says (<see cref="CanQuoteOf"/>, <see cref="Decide"/>).
/// </summary>
public static class QuotePolicies
{
    /// <summary>The policy that applies to <paramref name="status"/>: its own within what its visibility allows.</summary>
    public static QuotePolicy Effective(Status status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.Visibility is Visibility.Public or Visibility.Unlisted ? status.QuotePolicy ?? QuotePolicy.Public : QuotePolicy.Nobody;
    }

    /// <summary>
    /// Who may quote <paramref name="status"/>: a local status's effective policy, all automatic (Mastodon 4.5 offers no
    /// manual approval); a remote status's <c>canQuote</c>, nobody when its server sent none.
    /// </summary>
    public static CanQuote CanQuoteOf(Status status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.IsLocal
            ? Effective(status) switch
            {
                QuotePolicy.Public => new CanQuote(QuoteAudience.Public, QuoteAudience.None),
                QuotePolicy.Followers => new CanQuote(QuoteAudience.Followers, QuoteAudience.None),
                _ => new CanQuote(QuoteAudience.None, QuoteAudience.None),
            }
            : status.CanQuote ?? new CanQuote(QuoteAudience.None, QuoteAudience.None);
    }

    /// <summary>
    /// What applies to an account quoting <paramref name="status"/> (Mastodon 4.5's <c>quote_policy_for_account</c>):
    /// denied for a direct status or a boost; automatic for its author; otherwise denied unless public or unlisted;
    /// then the automatic list, then the manual one, admit it: the public, or (as <paramref name="followsAuthor"/> and
    /// <paramref name="followedByAuthor"/> say) the author's followers or the accounts it follows; a list naming what
    /// this server cannot check makes it unknown. A relation not looked up (null) that would decide makes it unknown.
    /// </summary>
    public static QuoteDecision Decide(Status status, bool isAuthor, bool? followsAuthor, bool? followedByAuthor)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.Visibility == Visibility.Direct || status.ReblogOfId is not null)
        {
            return QuoteDecision.Denied;
        }

        if (isAuthor)
        {
            return QuoteDecision.Automatic;
        }

        if (status.Visibility is not (Visibility.Public or Visibility.Unlisted))
        {
            return QuoteDecision.Denied;
        }

        var policy = CanQuoteOf(status);
        bool? Admits(QuoteAudience audience) => audience.HasFlag(QuoteAudience.Public) ? true
            : Any(audience.HasFlag(QuoteAudience.Followers) ? followsAuthor : false, audience.HasFlag(QuoteAudience.Following) ? followedByAuthor : false);
        return (Admits(policy.Automatic), Admits(policy.Manual)) switch
        {
            (true, _) => QuoteDecision.Automatic,
            (null, _) => QuoteDecision.Unknown,
            (false, true) => QuoteDecision.Manual,
            (false, null) => QuoteDecision.Unknown,
            _ => (policy.Automatic | policy.Manual).HasFlag(QuoteAudience.Unsupported) ? QuoteDecision.Unknown : QuoteDecision.Denied,
        };
    }

    /// <summary>The names <c>quote_approval</c> lists for an audience (docs: entities/QuoteApproval): <c>public</c>, <c>followers</c>, <c>following</c>, <c>unsupported_policy</c>.</summary>
    public static IReadOnlyList<string> Names(QuoteAudience audience) =>
    [
        .. audience.HasFlag(QuoteAudience.Public) ? ["public"] : Array.Empty<string>(),
        .. audience.HasFlag(QuoteAudience.Followers) ? ["followers"] : Array.Empty<string>(),
        .. audience.HasFlag(QuoteAudience.Following) ? ["following"] : Array.Empty<string>(),
        .. audience.HasFlag(QuoteAudience.Unsupported) ? ["unsupported_policy"] : Array.Empty<string>(),
    ];

    /// <summary>The API's name of a decision (<c>automatic</c>, <c>manual</c>, <c>unknown</c>, <c>denied</c>).</summary>
    public static string Name(QuoteDecision decision) => MastodonApi.Mapping.WireNames.Lower(decision);

    private static bool? Any(bool? a, bool? b) => a == true || b == true ? true : a is null || b is null ? null : false;

    /// <summary>The API's name of a policy (<c>public</c>, <c>followers</c>, <c>nobody</c>).</summary>
    public static string Name(QuotePolicy policy) => MastodonApi.Mapping.WireNames.Lower(policy);

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
