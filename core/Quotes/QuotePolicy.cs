namespace ServerlessFedi.Quotes;

/// <summary>Who may quote a status (Mastodon 4.5's <c>quote_approval_policy</c>, docs: methods/statuses#create).</summary>
public enum QuotePolicy
{
    /// <summary>Anyone, approved automatically (<c>public</c>).</summary>
    Public,

    /// <summary>The author's followers, approved automatically (<c>followers</c>).</summary>
    Followers,

    /// <summary>Nobody but the author (<c>nobody</c>).</summary>
    Nobody,
}
