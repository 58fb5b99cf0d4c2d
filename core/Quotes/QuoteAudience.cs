namespace ServerlessFedi.Quotes;

/// <summary>
/// Who one list of a remote status's <c>interactionPolicy.canQuote</c> admits (FEP-044f; GoToSocial's interaction
/// policies): the public collection, the author's followers, the accounts the author follows, and actors named one by
/// one, which this server does not evaluate (<see cref="Unsupported"/>, as Mastodon 4.5 marks them).
/// </summary>
[Flags]
public enum QuoteAudience
{
    None = 0,

    /// <summary><c>as:Public</c>: anyone.</summary>
    Public = 1,

    /// <summary>The author's <c>followers</c> collection.</summary>
    Followers = 2,

    /// <summary>The author's <c>following</c> collection: accounts the author follows.</summary>
    Following = 4,

    /// <summary>Anything else (a single actor, another collection): whether it admits a given account is not known here.</summary>
    Unsupported = 8,
}
