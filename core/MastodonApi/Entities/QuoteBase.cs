using System.Text.Json.Serialization;

namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>
/// A status's <c>quote</c> (docs: entities/Status#quote): a <see cref="Quote"/> with the quoted status, or, inside a quoted
/// status, a <see cref="ShallowQuote"/> with its id only (so quotes never nest further).
/// </summary>
[JsonDerivedType(typeof(Quote))]
[JsonDerivedType(typeof(ShallowQuote))]
public abstract record QuoteBase
{
    /// <summary>pending, accepted, rejected, revoked, deleted or unauthorized (docs: entities/Quote#state).</summary>
    public required string State { get; init; }
}
