namespace ServerlessFedi.Quotes;

/// <summary>
/// A remote status's <c>interactionPolicy.canQuote</c> (FEP-044f): who is approved at once (<c>automaticApproval</c>)
/// and who may ask for the author's approval (<c>manualApproval</c>). The author alone, or an empty list, admits nobody.
/// Stored as one number (<see cref="Packed"/>) on the status row.
/// </summary>
public sealed record CanQuote(QuoteAudience Automatic, QuoteAudience Manual)
{
    /// <summary>The policy in one number: automatic in the high byte, manual in the low one.</summary>
    public int Packed => ((int)Automatic << 8) | (int)Manual;

    /// <summary>The policy <see cref="Packed"/> stored; null for null.</summary>
    public static CanQuote? Unpack(int? packed) => packed is { } p ? new CanQuote((QuoteAudience)((p >> 8) & 0xFF), (QuoteAudience)(p & 0xFF)) : null;
}
