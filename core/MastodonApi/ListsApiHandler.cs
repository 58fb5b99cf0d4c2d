using Microsoft.AspNetCore.Http;
using ServerlessFedi.Http;
using ServerlessFedi.Lists;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Storage;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>/api/v1/lists</c> and their members (docs: methods/lists). Scopes <c>read:lists</c> and <c>write:lists</c>.
/// Members are accounts (local or remote) the owner follows, as Mastodon requires; posts reach list timelines through
/// <see cref="Statuses.StatusSurface"/>. Member pages are newest account first with
/// <c>Link</c> headers; <c>limit=0</c> answers every member. Storage: as <see cref="ListStore"/> plus 1 read per member shown.
/// </summary>
public sealed class ListsApiHandler(ApiEndpoint api, ListStore lists, Federation.AccountDirectory directory, Federation.FollowingStore following, AccountMapper mapper, Configuration.InstanceUrls urls, SnowflakeIds ids)
{
    private static readonly string[] RepliesPolicies = ["followed", "list", "none"];

    public Task<WireResult> ListAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:lists"), async r =>
            Ok([.. (await lists.ListAsync(r.Account.Id, cancellationToken)).Select(ListMapper.ToList)], Wire.IReadOnlyListList), cancellationToken);

    public Task<WireResult> GetAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:lists"), async r =>
            await lists.GetAsync(r.Account.Id, id, cancellationToken) is { } list ? Ok(ListMapper.ToList(list), Wire.List) : NotFound(), cancellationToken);

    public Task<WireResult> CreateAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:lists").WithParameters(), async r =>
        {
            var (list, error) = Apply(new AccountList { Id = ids.Next(), OwnerId = r.Account.Id, Title = "" }, r.Parameters, creating: true);
            if (error is not null)
            {
                return error;
            }

            if ((await lists.ListAsync(r.Account.Id, cancellationToken)).Count >= ListStore.MaxListsPerAccount)
            {
                return Invalid($"an account may have at most {ListStore.MaxListsPerAccount} lists");
            }

            await lists.SaveAsync(list!, cancellationToken);
            return Ok(ListMapper.ToList(list!), Wire.List);
        }, cancellationToken);

    public Task<WireResult> UpdateAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        OwnListAsync(request, "write:lists", id, async (r, existing) =>
        {
            var (list, error) = Apply(existing, r.Parameters, creating: false);
            if (error is not null)
            {
                return error;
            }

            await lists.SaveAsync(list!, cancellationToken);
            return Ok(ListMapper.ToList(list!), Wire.List);
        }, cancellationToken, parameters: true);

    public Task<WireResult> DeleteAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        OwnListAsync(request, "write:lists", id, async (_, list) =>
        {
            await lists.DeleteAsync(list, cancellationToken);
            return Done();
        }, cancellationToken);

    /// <summary><c>GET /api/v1/lists/:id/accounts</c>: default 40, at most 80, <c>limit=0</c> for all.</summary>
    public Task<WireResult> MembersAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        OwnListAsync(request, "read:lists", id, async (r, list) =>
        {
            var all = r.Query("limit") == "0";
            var page = r.Page(defaultLimit: 40, maxLimit: 80);
            var inRange = (await lists.MembersAsync(list.Id, cancellationToken)).Where(page.Contains).ToList();
            var selected = all ? inRange : page.ReadsForward ? inRange.TakeLast(page.Limit).ToList() : inRange.Take(page.Limit).ToList();
            var members = new List<Entities.Account>();
            foreach (var memberId in selected)
            {
                // Entries naming an account that is no longer known are skipped.
                if (await directory.GetByApiIdAsync(memberId, cancellationToken) is { } account)
                {
                    members.Add(mapper.ToAccount(account));
                }
            }

            var result = Ok(members, Wire.IReadOnlyListAccount);
            return all ? result : result.WithPageLinks(PageLinks.Build(urls, request, page, selected));
        }, cancellationToken);

    /// <summary><c>POST /api/v1/lists/:id/accounts</c> with <c>account_ids[]</c>: every id must be known and not yet a member.</summary>
    public Task<WireResult> AddMembersAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        OwnListAsync(request, "write:lists", id, async (r, list) =>
        {
            var wanted = r.Parameters.GetAll("account_ids").Distinct(StringComparer.Ordinal).ToArray();
            if (wanted.Length == 0)
            {
                return Invalid("account_ids can't be blank");
            }

            var current = (await lists.MembersAsync(list.Id, cancellationToken)).ToHashSet(StringComparer.Ordinal);
            if (wanted.Any(current.Contains))
            {
                return Invalid("Account has already been taken");
            }

            if (current.Count + wanted.Length > ListStore.MaxMembersPerList)
            {
                return Invalid($"a list may have at most {ListStore.MaxMembersPerList} accounts");
            }

            foreach (var memberId in wanted)
            {
                var member = await directory.GetByApiIdAsync(memberId, cancellationToken);
                if (member is null)
                {
                    return NotFound();
                }

                // As Mastodon: only accounts the owner follows can be list members (their posts are what the list shows).
                if ((await following.GetAsync(list.OwnerId, member.ActorId, cancellationToken))?.State != Federation.FollowingStore.Accepted)
                {
                    return Invalid("Account has not been followed");
                }
            }

            foreach (var memberId in wanted)
            {
                await lists.AddMemberAsync(list, memberId, cancellationToken);
            }

            return Done();
        }, cancellationToken, parameters: true);

    /// <summary><c>DELETE /api/v1/lists/:id/accounts</c> with <c>account_ids[]</c>; ids that are not members are ignored.</summary>
    public Task<WireResult> RemoveMembersAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        OwnListAsync(request, "write:lists", id, async (r, list) =>
        {
            foreach (var memberId in r.Parameters.GetAll("account_ids").Distinct(StringComparer.Ordinal).Where(m => m.Length <= 200))
            {
                await lists.RemoveMemberAsync(list, memberId, cancellationToken);
            }

            return Done();
        }, cancellationToken, parameters: true);

    /// <summary><c>GET /api/v1/accounts/:id/lists</c>: the caller's lists that hold the account (1 range query + 1 read per list).</summary>
    public Task<WireResult> ListsOfAccountAsync(HttpRequest request, string accountId, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("read:lists"), async r =>
        {
            var found = new List<Entities.List>();
            foreach (var listId in await lists.ListsContainingAsync(r.Account.Id, accountId, cancellationToken))
            {
                if (await lists.GetAsync(r.Account.Id, listId, cancellationToken) is { } list)
                {
                    found.Add(ListMapper.ToList(list));
                }
            }

            return Ok(found, Wire.IReadOnlyListList);
        }, cancellationToken);

    /// <summary>The caller's list <paramref name="id"/> for <paramref name="handle"/>, or 404.</summary>
    private Task<WireResult> OwnListAsync(HttpRequest request, string scope, string id, Func<ApiRequest, AccountList, Task<WireResult>> handle, CancellationToken cancellationToken, bool parameters = false) =>
        api.RunAsync(request, parameters ? ApiAccess.Token(scope).WithParameters() : ApiAccess.Token(scope), async r =>
            await lists.GetAsync(r.Account.Id, id, cancellationToken) is { } list ? await handle(r, list) : NotFound(), cancellationToken);

    private static (AccountList? List, WireResult? Error) Apply(AccountList list, ApiParameters p, bool creating)
    {
        var title = p.Get("title");
        if (creating || title is not null)
        {
            var (valid, refusal) = Titles.Check(title);
            if (refusal is not null)
            {
                return (null, Invalid(refusal));
            }

            list = list with { Title = valid! };
        }

        if (p.Get("replies_policy") is { } policy)
        {
            if (!RepliesPolicies.Contains(policy, StringComparer.Ordinal))
            {
                return (null, Invalid($"Replies policy '{policy}' is not one of followed, list, none"));
            }

            list = list with { RepliesPolicy = policy };
        }

        if (p.GetBool("exclusive") is { } exclusive)
        {
            list = list with { Exclusive = exclusive };
        }

        return (list, null);
    }
}
