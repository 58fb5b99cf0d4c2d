using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Http;

namespace ServerlessFedi.ActivityPub;

/// <summary>
/// Actor documents by content negotiation: ActivityStreams JSON for federation clients, a redirect to the profile page
/// for browsers. By username: 2 storage reads; the instance actor: 1 (2 on its very first use, which creates it).
/// </summary>
public sealed class ActorHandler(AccountStore accounts, InstanceActorStore instanceActor, ActorMapper mapper, InstanceUrls urls, FediOptions options)
{
    public const string ActivityJsonContentType = "application/activity+json; charset=utf-8";

    public async Task<WireResult> GetAccountActorAsync(HttpRequest request, string username, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = await accounts.GetByUsernameIncludingDeletedAsync(username, cancellationToken);
        if (account is null)
        {
            return WireResult.Error(StatusCodes.Status404NotFound, "no such account").WithHeader("Vary", "Accept");
        }

        if (account.DeletedAt is not null)
        {
            // Deleted: 410 with a Tombstone (formerType) for every client; browsers get the profile's 410 page.
            return ContentNegotiation.WantsActivityStreams(request)
                ? WireResult.Json(StatusCodes.Status410Gone, mapper.ToTombstone(account), ActivityJsonContentType).WithHeader("Vary", "Accept").WithCors()
                : WireResult.Redirect(urls.Profile(account.Username)).WithHeader("Vary", "Accept");
        }

        if (!ContentNegotiation.WantsActivityStreams(request))
        {
            return WireResult.Redirect(urls.Profile(account.Username)).WithHeader("Vary", "Accept");
        }

        return WireResult.Json(StatusCodes.Status200OK, mapper.ToActor(account), ActivityJsonContentType)
            .WithHeader("Vary", "Accept")
            .WithHeader("Cache-Control", "max-age=180, public")
            .WithCors();
    }

    public async Task<WireResult> GetInstanceActorAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!ContentNegotiation.WantsActivityStreams(request))
        {
            return WireResult.Redirect(urls.About).WithHeader("Vary", "Accept");
        }

        var actor = await instanceActor.GetOrCreateAsync(cancellationToken);
        return WireResult.Json(StatusCodes.Status200OK, mapper.ToInstanceActor(actor, options.InstanceTitle), ActivityJsonContentType)
            .WithHeader("Vary", "Accept")
            .WithHeader("Cache-Control", "max-age=180, public")
            .WithCors();
    }
}
