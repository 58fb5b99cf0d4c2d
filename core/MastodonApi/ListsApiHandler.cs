using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Http;
using ServerlessFedi.Lists;
using ServerlessFedi.Storage;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>/api/v1/lists</c> and their members (docs: methods/lists). Scopes <c>read:lists</c> and <c>write:lists</c>.
/// Members are accounts (local or remote) the owner follows, as Mastodon requires; posts reach list timelines through
/// <see cref="Statuses.StatusSurface"/>. Member pages are newest account first with
/// <c>Link</c> headers; <c>limit=0</c> answers every member. Storage: as <see cref="ListStore"/> plus 1 read per member shown.
/// </summary>
public sealed class ListsApiHandler(ApiAuth auth, ListStore lists, Federation.AccountDirectory directory, Federation.FollowingStore following, MastodonMapper mapper, Configuration.InstanceUrls urls, SnowflakeIds ids)
{
    private const int MaxTitleLength = 256;
    private static readonly string[] RepliesPolicies = ["followed", "list", "none"];

    public async Task<WireResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (account, _, failure) = await auth.AuthenticateAsync(request, "read:lists", cancellationToken);
        return failure ?? Ok(new JsonArray((await lists.ListAsync(account!.Id, cancellationToken)).Select(l => (JsonNode)ToJson(l)).ToArray()));
    }

    public async Task<WireResult> GetAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (account, _, failure) = await auth.AuthenticateAsync(request, "read:lists", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var list = await lists.GetAsync(account!.Id, id, cancellationToken);
        return list is null ? NotFound() : Ok(ToJson(list));
    }

    public async Task<WireResult> CreateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (account, p, failure) = await AuthorizeWithParameters(request, "write:lists", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var (list, error) = Apply(new AccountList { Id = ids.Next(), OwnerId = account!.Id, Title = "" }, p!, creating: true);
        if (error is not null)
        {
            return error;
        }

        if ((await lists.ListAsync(account.Id, cancellationToken)).Count >= ListStore.MaxListsPerAccount)
        {
            return Invalid($"an account may have at most {ListStore.MaxListsPerAccount} lists");
        }

        await lists.SaveAsync(list!, cancellationToken);
        return Ok(ToJson(list!));
    }

    public async Task<WireResult> UpdateAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (account, p, failure) = await AuthorizeWithParameters(request, "write:lists", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var existing = await lists.GetAsync(account!.Id, id, cancellationToken);
        if (existing is null)
        {
            return NotFound();
        }

        var (list, error) = Apply(existing, p!, creating: false);
        if (error is not null)
        {
            return error;
        }

        await lists.SaveAsync(list!, cancellationToken);
        return Ok(ToJson(list!));
    }

    public async Task<WireResult> DeleteAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (account, _, failure) = await auth.AuthenticateAsync(request, "write:lists", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var list = await lists.GetAsync(account!.Id, id, cancellationToken);
        if (list is null)
        {
            return NotFound();
        }

        await lists.DeleteAsync(list, cancellationToken);
        return Ok(new JsonObject());
    }

    /// <summary><c>GET /api/v1/lists/:id/accounts</c>: default 40, at most 80, <c>limit=0</c> for all.</summary>
    public async Task<WireResult> MembersAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (account, _, failure) = await auth.AuthenticateAsync(request, "read:lists", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var list = await lists.GetAsync(account!.Id, id, cancellationToken);
        if (list is null)
        {
            return NotFound();
        }

        var all = request.Query["limit"].ToString() == "0";
        var page = PageRequest.Parse(request.Query, defaultLimit: 40, maxLimit: 80);
        var inRange = (await lists.MembersAsync(list.Id, cancellationToken)).Where(page.Contains).ToList();
        var selected = all ? inRange : page.ReadsForward ? inRange.TakeLast(page.Limit).ToList() : inRange.Take(page.Limit).ToList();
        var members = new List<(string Id, JsonObject Json)>();
        foreach (var memberId in selected)
        {
            if (await MemberAccountAsync(memberId, cancellationToken) is { } json)
            {
                members.Add((memberId, json));
            }
        }

        var result = Ok(new JsonArray(members.Select(m => (JsonNode)m.Json).ToArray()));
        return all ? result : result.WithPageLinks(PageLinks.Build(urls, request, page, selected));
    }

    /// <summary><c>POST /api/v1/lists/:id/accounts</c> with <c>account_ids[]</c>: every id must be known and not yet a member.</summary>
    public async Task<WireResult> AddMembersAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (account, p, failure) = await AuthorizeWithParameters(request, "write:lists", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var list = await lists.GetAsync(account!.Id, id, cancellationToken);
        if (list is null)
        {
            return NotFound();
        }

        var wanted = p!.GetAll("account_ids").Distinct(StringComparer.Ordinal).ToArray();
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

        return Ok(new JsonObject());
    }

    /// <summary><c>DELETE /api/v1/lists/:id/accounts</c> with <c>account_ids[]</c>; ids that are not members are ignored.</summary>
    public async Task<WireResult> RemoveMembersAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (account, p, failure) = await AuthorizeWithParameters(request, "write:lists", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var list = await lists.GetAsync(account!.Id, id, cancellationToken);
        if (list is null)
        {
            return NotFound();
        }

        foreach (var memberId in p!.GetAll("account_ids").Distinct(StringComparer.Ordinal).Where(m => m.Length <= 200))
        {
            await lists.RemoveMemberAsync(list, memberId, cancellationToken);
        }

        return Ok(new JsonObject());
    }

    /// <summary>
    /// The one place that decides who can be a member and how a member is shown: the Account entity, or null when the id
    /// names no account we know. Local accounts only for now; remote accounts are added here.
    /// </summary>
    private async Task<JsonObject?> MemberAccountAsync(string accountId, CancellationToken cancellationToken) =>
        await directory.GetByApiIdAsync(accountId, cancellationToken) is { } account ? mapper.ToAccount(account) : null;

    /// <summary><c>GET /api/v1/accounts/:id/lists</c>: the caller's lists that hold the account (1 range query + 1 read per list).</summary>
    public async Task<WireResult> ListsOfAccountAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        var (me, _, failure) = await auth.AuthenticateAsync(request, "read:lists", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var found = new JsonArray();
        foreach (var listId in await lists.ListsContainingAsync(me!.Id, accountId, cancellationToken))
        {
            if (await lists.GetAsync(me.Id, listId, cancellationToken) is { } list)
            {
                found.Add(ToJson(list));
            }
        }

        return Ok(found);
    }

    private static (AccountList? List, WireResult? Error) Apply(AccountList list, ApiParameters p, bool creating)
    {
        var title = p.Get("title");
        if (creating || title is not null)
        {
            if (string.IsNullOrWhiteSpace(title))
            {
                return (null, Invalid("Title can't be blank"));
            }

            if (title.Length > MaxTitleLength)
            {
                return (null, Invalid($"Title is too long (maximum is {MaxTitleLength} characters)"));
            }

            list = list with { Title = title.Trim() };
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

    private static JsonObject ToJson(AccountList l) => new()
    {
        ["id"] = l.Id,
        ["title"] = l.Title,
        ["replies_policy"] = l.RepliesPolicy,
        ["exclusive"] = l.Exclusive,
    };

    private async Task<(LocalAccount? Account, ApiParameters? Parameters, WireResult? Failure)> AuthorizeWithParameters(HttpRequest request, string scope, CancellationToken cancellationToken)
    {
        var (account, _, failure) = await auth.AuthenticateAsync(request, scope, cancellationToken);
        if (failure is not null)
        {
            return (null, null, failure);
        }

        var (p, error) = await ApiParameters.ReadAsync(request, cancellationToken);
        return p is null ? (null, null, WireResult.Error(StatusCodes.Status400BadRequest, error!).WithCors()) : (account, p, null);
    }

    private static WireResult Ok(JsonNode doc) => WireResult.Json(StatusCodes.Status200OK, doc).WithCors();

    private static WireResult NotFound() => WireResult.Error(StatusCodes.Status404NotFound, "Record not found").WithCors();

    private static WireResult Invalid(string message) => WireResult.Error(StatusCodes.Status422UnprocessableEntity, "Validation failed: " + message).WithCors();
}
