using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Http;
using ServerlessFedi.Quotes;

namespace ServerlessFedi.ActivityPub;

/// <summary>
/// A quote authorization at its URL (FEP-044f "Approval stamps"), for anyone: it names the quote and the quoted status by
/// id only. 404 when there is none, it is another account's, or it was revoked (revocation and deletion both end it).
/// Storage: 1-2 reads (author) + 1 point read.
/// </summary>
public sealed class QuoteAuthorizationHandler(AccountStore accounts, QuoteStore store, QuoteActivities activities)
{
    public async Task<WireResult> GetAsync(string username, string statusId, string authorizationId, CancellationToken cancellationToken)
    {
        var author = await accounts.GetByUsernameAsync(username, cancellationToken);
        var authorization = author is null ? null : await store.GetAsync(statusId, authorizationId, cancellationToken);
        if (author is null || authorization is not { RevokedAt: null } || authorization.QuotedAccountId != author.Id)
        {
            return WireResult.Error(StatusCodes.Status404NotFound, "Record not found");
        }

        return WireResult.Json(StatusCodes.Status200OK, activities.Authorization(authorization, author), ActorHandler.ActivityJsonContentType)
            .WithHeader("Cache-Control", "no-cache")
            .WithCors();
    }
}
