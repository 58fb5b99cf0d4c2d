using ServerlessFedi.Storage;

namespace ServerlessFedi.Quotes;

/// <summary>Table row of a <see cref="QuoteAuthorization"/> (keys: <see cref="StorageKeys.QuoteAuthorization"/>).</summary>
internal sealed class QuoteAuthorizationEntity : StoredEntity
{
    public string QuotedStatusId { get; set; } = "";
    public string QuotedAccountId { get; set; } = "";
    public string QuoteUri { get; set; } = "";
    public string QuotingActorId { get; set; } = "";
    public string? QuotingInbox { get; set; }
    public string? QuoteStatusId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public static QuoteAuthorizationEntity From(QuoteAuthorization a)
    {
        var (pk, rk) = StorageKeys.QuoteAuthorization(a.QuotedStatusId, a.Id);
        return new()
        {
            PartitionKey = pk,
            RowKey = rk,
            QuotedStatusId = a.QuotedStatusId,
            QuotedAccountId = a.QuotedAccountId,
            QuoteUri = a.QuoteUri,
            QuotingActorId = a.QuotingActorId,
            QuotingInbox = a.QuotingInbox,
            QuoteStatusId = a.QuoteStatusId,
            CreatedAt = a.CreatedAt,
            RevokedAt = a.RevokedAt,
        };
    }

    public QuoteAuthorization ToAuthorization() => new()
    {
        Id = RowKey,
        QuotedStatusId = QuotedStatusId,
        QuotedAccountId = QuotedAccountId,
        QuoteUri = QuoteUri,
        QuotingActorId = QuotingActorId,
        QuotingInbox = QuotingInbox,
        QuoteStatusId = QuoteStatusId,
        CreatedAt = CreatedAt,
        RevokedAt = RevokedAt,
    };
}
