using Microsoft.AspNetCore.Http;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Entities;
using ServerlessFedi.MastodonApi.Mapping;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// What an account does to another and the lists that follow from it (docs: methods/accounts#follow and siblings,
/// methods/follow_requests, methods/blocks, methods/mutes): relationships, follow, unfollow, block, mute, removing a
/// follower, answering follow requests. Errors: 401/403 from auth, 404 for unknown accounts, 403 for acting on oneself
/// or following an account that blocks the caller (or that the caller blocks).
/// </summary>
public sealed class RelationshipsApiHandler(ApiEndpoint api, AccountDirectory directory, FollowerStore followers, FollowingStore following, RelationshipService relationships, AccountMapper mapper, InstanceUrls urls)
{
    private const int MaxRelationships = 40;

    /// <summary>Mastodon's limit on an account note's <c>comment</c>.</summary>
    public const int MaxNoteLength = 2000;

    /// <summary>Familiar followers answered per account (apps show a few names and the count).</summary>
    public const int MaxFamiliarFollowers = 80;

    /// <summary><c>GET /api/v1/accounts/relationships?id[]=</c>: one Relationship per known id, in the order asked.</summary>
    public Task<WireResult> RelationshipsAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:follows").WithParameters(), async r =>
        {
            var ids = r.Parameters.GetAll("id").Distinct(StringComparer.Ordinal).Take(MaxRelationships).ToList();
            var targets = await Task.WhenAll(ids.Select(id => directory.GetByApiIdAsync(id, cancellationToken)));
            var rels = await Task.WhenAll(targets.OfType<AccountRef>().Select(t => relationships.GetAsync(r.Account, t, cancellationToken)));
            return Ok([.. rels.Select(RelationshipMapper.ToRelationship)], Wire.IReadOnlyListRelationship);
        }, cancellationToken);

    /// <summary>
    /// <c>GET /api/v1/accounts/familiar_followers?id[]=</c> (docs: methods/accounts#familiar_followers): per known id (at
    /// most 40, in the order asked), the accounts the caller follows that follow it, at most <see cref="MaxFamiliarFollowers"/>
    /// each. Storage: <see cref="RelationshipService.FamiliarFollowersAsync"/> + 1 account read per id and per distinct
    /// familiar account.
    /// </summary>
    public Task<WireResult> FamiliarFollowersAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:follows").WithParameters(), async r =>
        {
            var ids = r.Parameters.GetAll("id").Distinct(StringComparer.Ordinal).Take(MaxRelationships).ToList();
            var targets = (await Task.WhenAll(ids.Select(id => directory.GetByApiIdAsync(id, cancellationToken)))).OfType<AccountRef>().ToList();
            var familiar = await relationships.FamiliarFollowersAsync(r.Account, targets, MaxFamiliarFollowers, cancellationToken);
            var accountIds = familiar.SelectMany(f => f).Distinct(StringComparer.Ordinal).ToList();
            var accounts = (await Task.WhenAll(accountIds.Select(id => directory.GetByApiIdAsync(id, cancellationToken))))
                .OfType<AccountRef>().ToDictionary(a => a.ApiId, mapper.ToAccount, StringComparer.Ordinal);
            return Ok(
                [.. targets.Select((t, i) => new FamiliarFollowers(t.ApiId, [.. familiar[i].Select(accounts.GetValueOrDefault).OfType<Account>()]))],
                Wire.IReadOnlyListFamiliarFollowers);
        }, cancellationToken);

    /// <summary>POST follow, unfollow, block, unblock, mute, unmute, remove_from_followers: answers the new Relationship.</summary>
    public Task<WireResult> ActAsync(HttpRequest request, string id, string action, CancellationToken cancellationToken)
    {
        var scope = action switch
        {
            "block" or "unblock" => "write:blocks",
            "mute" or "unmute" => "write:mutes",
            _ => "write:follows",
        };
        return api.RunAsync(request, ApiAccess.Token(scope), async r =>
        {
            var me = r.Account;
            var target = await directory.GetByApiIdAsync(id, cancellationToken);
            if (target is null)
            {
                return NotFound();
            }

            if (target.ApiId == me.Id)
            {
                return NotAllowed();
            }

            switch (action)
            {
                case "follow":
                    if (await following.HasRelationAsync(RelationshipService.BlockedBy, me.Id, target.ActorId, cancellationToken)
                        || await following.HasRelationAsync(RelationshipService.Block, me.Id, target.ActorId, cancellationToken))
                    {
                        return NotAllowed();
                    }

                    var (p, error) = await ApiParameters.ReadAsync(request, cancellationToken);
                    if (p is null)
                    {
                        return BadRequest(error!);
                    }

                    await relationships.FollowAsync(me, target, p.GetBool("reblogs"), cancellationToken);
                    break;
                case "unfollow":
                    await relationships.UnfollowAsync(me, target, cancellationToken);
                    break;
                case "remove_from_followers":
                    await followers.RemoveAsync(me.Id, target.ActorId, cancellationToken);
                    if (target.Local is { } local)
                    {
                        await following.RemoveAsync(local.Id, urls.Actor(me.Username), cancellationToken);
                    }

                    break;
                case "block":
                    await relationships.BlockAsync(me, target, cancellationToken);
                    break;
                case "unblock":
                    await relationships.UnblockAsync(me, target, cancellationToken);
                    break;
                case "mute":
                    await relationships.SetMuteAsync(me, target, on: true, cancellationToken);
                    break;
                case "unmute":
                    await relationships.SetMuteAsync(me, target, on: false, cancellationToken);
                    break;
                default:
                    return NotFound();
            }

            return Ok(RelationshipMapper.ToRelationship(await relationships.GetAsync(me, target, cancellationToken)), Wire.Relationship);
        }, cancellationToken);
    }

    /// <summary>
    /// <c>POST /api/v1/accounts/:id/note</c> (docs: methods/accounts#note): sets the caller's private note on the account
    /// from <c>comment</c> (absent or empty removes it; at most <see cref="MaxNoteLength"/> characters, else 422, as
    /// Mastodon's AccountNote); answers the Relationship with <c>note</c>. 404 for an unknown account.
    /// </summary>
    public Task<WireResult> NoteAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:accounts").WithParameters(), async r =>
        {
            var target = await directory.GetByApiIdAsync(id, cancellationToken);
            if (target is null)
            {
                return NotFound();
            }

            var comment = r.Parameters.Get("comment") ?? "";
            if (comment.Length > MaxNoteLength)
            {
                return Invalid($"Comment is too long (maximum is {MaxNoteLength} characters)");
            }

            await relationships.SetNoteAsync(r.Account, target, comment, cancellationToken);
            return Ok(RelationshipMapper.ToRelationship(await relationships.GetAsync(r.Account, target, cancellationToken)), Wire.Relationship);
        }, cancellationToken);

    /// <summary><c>GET /api/v1/follow_requests</c>: accounts waiting for the (locked) account's approval.</summary>
    public Task<WireResult> FollowRequestsAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:follows"), async r =>
        {
            var pending = await followers.ListRequestsAsync(r.Account.Id, r.Limit(40, 80), cancellationToken);
            var refs = await Task.WhenAll(pending.Select(p => directory.GetByActorIdAsync(p.ActorId, cancellationToken)));
            return Ok([.. refs.OfType<AccountRef>().Select(mapper.ToAccount)], Wire.IReadOnlyListAccount);
        }, cancellationToken);

    /// <summary>POST <c>/api/v1/follow_requests/:id/authorize</c> or <c>/reject</c>: answers the Relationship; 404 when no such request.</summary>
    public Task<WireResult> AnswerFollowRequestAsync(HttpRequest request, string id, bool authorize, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:follows"), async r =>
        {
            var requester = await directory.GetByApiIdAsync(id, cancellationToken);
            if (requester is null)
            {
                return NotFound();
            }

            var done = authorize
                ? await relationships.AuthorizeAsync(r.Account, requester, cancellationToken)
                : await relationships.RejectAsync(r.Account, requester, cancellationToken);
            return done ? Ok(RelationshipMapper.ToRelationship(await relationships.GetAsync(r.Account, requester, cancellationToken)), Wire.Relationship) : NotFound();
        }, cancellationToken);

    /// <summary><c>GET /api/v1/blocks</c> and <c>/api/v1/mutes</c>.</summary>
    public Task<WireResult> RelationListAsync(HttpRequest request, string kind, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token(kind == RelationshipService.Block ? "read:blocks" : "read:mutes"), async r =>
        {
            var ids = (await following.ListRelationTargetsAsync(kind, r.Account.Id, r.Limit(40, 80), cancellationToken)).Select(t => t.AccountId).ToList();
            var refs = await Task.WhenAll(ids.Select(id => directory.GetByApiIdAsync(id, cancellationToken)));
            return Ok([.. refs.OfType<AccountRef>().Select(mapper.ToAccount)], Wire.IReadOnlyListAccount);
        }, cancellationToken);
}
