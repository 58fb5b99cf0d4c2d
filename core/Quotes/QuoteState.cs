namespace ServerlessFedi.Quotes;

/// <summary>The state of a quote (docs: entities/Quote#state); the API writes it in lower case.</summary>
public enum QuoteState
{
    /// <summary>Asked for, not answered yet: the quoted status is not shown.</summary>
    Pending,

    Accepted,

    Rejected,

    /// <summary>Accepted, then its authorization was deleted by the quoted author.</summary>
    Revoked,

    /// <summary>Accepted, and the quoted status has been deleted since.</summary>
    Deleted,

    /// <summary>No valid authorization: claimed without one, or with one that does not verify.</summary>
    Unauthorized,
}
