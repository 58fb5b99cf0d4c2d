namespace ServerlessFedi.Quotes;

/// <summary>
/// What applies to one account that would quote a status: Mastodon 4.5's <c>quote_approval.current_user</c>
/// (docs: entities/QuoteApproval). Quoting is refused only when <see cref="Denied"/>.
/// </summary>
public enum QuoteDecision
{
    /// <summary>The author's policy approves the account's quote at once.</summary>
    Automatic,

    /// <summary>The author reviews the account's quote.</summary>
    Manual,

    /// <summary>The policy names actors or collections this server cannot check: the author's server decides.</summary>
    Unknown,

    /// <summary>The account may not quote the status.</summary>
    Denied,
}
