using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Lists;
using ServerlessFedi.OAuth;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>/api/v1/lists CRUD and members over real HTTP: scopes, validation, pagination with Link headers.</summary>
[TestClass]
public sealed class ListsApiTests
{
    private static TestInstance _instance = null!;
    private static LocalAccount _alice = null!;
    private static readonly List<LocalAccount> Others = [];
    private static string _token = "";
    private static string _readOnly = "";
    private static string _bobsToken = "";

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        _alice = await _instance.CreateAccountAsync("alice");
        var relationships = _instance.Services.GetRequiredService<ServerlessFedi.Federation.RelationshipService>();
        var directory = _instance.Services.GetRequiredService<ServerlessFedi.Federation.AccountDirectory>();
        for (var i = 0; i < 5; i++)
        {
            var other = await _instance.CreateAccountAsync($"agency{i}");
            Others.Add(other);
            // List members must be accounts the owner follows.
            await relationships.FollowAsync(_alice, directory.Of(other), CancellationToken.None);
        }

        _stranger = await _instance.CreateAccountAsync("stranger");

        var tokens = _instance.Services.GetRequiredService<AccessTokenStore>();
        _token = await tokens.IssueAsync(_alice.Id, ["read:lists", "write:lists"]);
        _readOnly = await tokens.IssueAsync(_alice.Id, ["read"]);
        _bobsToken = await tokens.IssueAsync(Others[0].Id, ["read", "write"]);
    }

    private static LocalAccount _stranger = null!;

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    private static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> Send(HttpMethod method, string path, string? token, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await _instance.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<string> CreateAsync(string title)
    {
        var (status, body, _) = await Send(HttpMethod.Post, "/api/v1/lists", _token, Json($$"""{"title":"{{title}}"}"""));
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        return body.GetProperty("id").GetString()!;
    }

    [TestMethod]
    public async Task A_list_is_created_read_updated_and_deleted()
    {
        var (status, created, _) = await Send(HttpMethod.Post, "/api/v1/lists", _token, Json("""{"title":"Ministries","replies_policy":"followed","exclusive":true}"""));
        Assert.AreEqual(HttpStatusCode.OK, status, created.ToString());
        var id = created.GetProperty("id").GetString();
        Assert.AreEqual($$"""{"id":"{{id}}","title":"Ministries","replies_policy":"followed","exclusive":true}""", created.GetRawText());

        var (_, read, _) = await Send(HttpMethod.Get, $"/api/v1/lists/{id}", _readOnly);
        Assert.AreEqual(created.GetRawText(), read.GetRawText());
        var (_, all, _) = await Send(HttpMethod.Get, "/api/v1/lists", _token);
        Assert.IsTrue(all.EnumerateArray().Any(l => l.GetProperty("id").GetString() == id));

        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["title"] = "Agencies", ["exclusive"] = "false" });
        var (_, updated, _) = await Send(HttpMethod.Put, $"/api/v1/lists/{id}", _token, form);
        Assert.AreEqual("Agencies", updated.GetProperty("title").GetString());
        Assert.AreEqual("followed", updated.GetProperty("replies_policy").GetString());
        Assert.IsFalse(updated.GetProperty("exclusive").GetBoolean());

        var (deleted, empty, _) = await Send(HttpMethod.Delete, $"/api/v1/lists/{id}", _token);
        Assert.AreEqual(HttpStatusCode.OK, deleted);
        Assert.AreEqual("{}", empty.GetRawText());
        Assert.AreEqual(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, $"/api/v1/lists/{id}", _token)).Status);
    }

    [TestMethod]
    public async Task Members_are_added_listed_newest_first_with_links_and_removed()
    {
        var id = await CreateAsync("Members");
        var ids = Others.Select(o => o.Id).ToArray();
        var add = new FormUrlEncodedContent(ids.Select(i => new KeyValuePair<string, string>("account_ids[]", i)));
        var (added, body, _) = await Send(HttpMethod.Post, $"/api/v1/lists/{id}/accounts", _token, add);
        Assert.AreEqual(HttpStatusCode.OK, added, body.ToString());
        Assert.AreEqual("{}", body.GetRawText());

        var newestFirst = ids.Reverse().ToArray();
        var (_, first, response) = await Send(HttpMethod.Get, $"/api/v1/lists/{id}/accounts?limit=2", _readOnly);
        CollectionAssert.AreEqual(newestFirst.Take(2).ToArray(), first.EnumerateArray().Select(a => a.GetProperty("id").GetString()).ToArray());
        Assert.AreEqual("agency4", first[0].GetProperty("username").GetString());
        var link = response.Headers.GetValues("Link").Single();
        StringAssert.Contains(link, $"{_instance.BaseUrl}/api/v1/lists/{id}/accounts?limit=2&max_id={newestFirst[1]}>; rel=\"next\"");

        var (_, rest, restResponse) = await Send(HttpMethod.Get, $"/api/v1/lists/{id}/accounts?limit=4&max_id={newestFirst[1]}", _readOnly);
        CollectionAssert.AreEqual(newestFirst.Skip(2).ToArray(), rest.EnumerateArray().Select(a => a.GetProperty("id").GetString()).ToArray());
        Assert.DoesNotContain("rel=\"next\"", restResponse.Headers.GetValues("Link").Single(), "the last page has no next link");

        var (_, everything, _) = await Send(HttpMethod.Get, $"/api/v1/lists/{id}/accounts?limit=0", _readOnly);
        Assert.AreEqual(5, everything.GetArrayLength());

        var lists = await _instance.Services.GetRequiredService<ListStore>().ListsContainingAsync(_alice.Id, ids[0], CancellationToken.None);
        CollectionAssert.Contains(lists.ToArray(), id);

        var (again, error, _) = await Send(HttpMethod.Post, $"/api/v1/lists/{id}/accounts", _token, Json($$"""{"account_ids":["{{ids[0]}}"]}"""));
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, again, error.ToString());

        var (removed, _, _) = await Send(HttpMethod.Delete, $"/api/v1/lists/{id}/accounts?account_ids[]={ids[0]}&account_ids[]={ids[1]}", _token);
        Assert.AreEqual(HttpStatusCode.OK, removed);
        var (_, left, _) = await Send(HttpMethod.Get, $"/api/v1/lists/{id}/accounts", _readOnly);
        Assert.AreEqual(3, left.GetArrayLength());
        Assert.IsEmpty(await _instance.Services.GetRequiredService<ListStore>().ListsContainingAsync(_alice.Id, ids[0], CancellationToken.None));
    }

    [TestMethod]
    public async Task Unknown_accounts_are_404_and_nothing_is_added()
    {
        var id = await CreateAsync("Unknown");

        var (status, _, _) = await Send(HttpMethod.Post, $"/api/v1/lists/{id}/accounts", _token, Json($$"""{"account_ids":["{{Others[2].Id}}","117684648624352871"]}"""));

        Assert.AreEqual(HttpStatusCode.NotFound, status);
        Assert.AreEqual(0, (await Send(HttpMethod.Get, $"/api/v1/lists/{id}/accounts", _token)).Body.GetArrayLength());
    }

    [TestMethod]
    public async Task An_account_the_owner_does_not_follow_cannot_be_added()
    {
        var id = await CreateAsync("Strangers");

        var (status, body, _) = await Send(HttpMethod.Post, $"/api/v1/lists/{id}/accounts", _token, Json($$"""{"account_ids":["{{_stranger.Id}}"]}"""));

        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, status);
        StringAssert.Contains(body.GetProperty("error").GetString(), "not been followed");
        Assert.AreEqual(0, (await Send(HttpMethod.Get, $"/api/v1/lists/{id}/accounts", _token)).Body.GetArrayLength());
    }

    [TestMethod]
    public async Task Posts_of_members_reach_the_list_timeline_and_an_exclusive_list_keeps_them_out_of_home()
    {
        var (status, created, _) = await Send(HttpMethod.Post, "/api/v1/lists", _token, Json("""{"title":"Exclusive","exclusive":true}"""));
        Assert.AreEqual(HttpStatusCode.OK, status, created.ToString());
        var id = created.GetProperty("id").GetString();
        Assert.AreEqual(HttpStatusCode.OK, (await Send(HttpMethod.Post, $"/api/v1/lists/{id}/accounts", _token, Json($$"""{"account_ids":["{{Others[3].Id}}"]}"""))).Status);
        var (_, inLists, _) = await Send(HttpMethod.Get, $"/api/v1/accounts/{Others[3].Id}/lists", _readOnly);
        Assert.IsTrue(inLists.EnumerateArray().Any(l => l.GetProperty("id").GetString() == id));

        var author = await _instance.Services.GetRequiredService<AccessTokenStore>().IssueAsync(Others[3].Id, ["write"]);
        var (posted, post, _) = await Send(HttpMethod.Post, "/api/v1/statuses", author, Json("""{"status":"For the list"}"""));
        Assert.AreEqual(HttpStatusCode.OK, posted, post.ToString());
        var postId = post.GetProperty("id").GetString();
        var reader = await _instance.Services.GetRequiredService<AccessTokenStore>().IssueAsync(_alice.Id, ["read"]);
        var timeline = await ServerlessFedi.Tests.Federation.Eventually.ValueAsync(async () => (await Send(HttpMethod.Get, $"/api/v1/timelines/list/{id}", reader)).Body, b => b.GetArrayLength() > 0, "the post in the list timeline");
        Assert.AreEqual(postId, timeline[0].GetProperty("id").GetString());
        var (_, home, _) = await Send(HttpMethod.Get, "/api/v1/timelines/home", reader);
        Assert.IsFalse(home.EnumerateArray().Any(s => s.GetProperty("id").GetString() == postId), "an exclusive list keeps its members' posts out of home");
        Assert.AreEqual(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, $"/api/v1/timelines/list/{id}", _bobsToken)).Status, "another account's list");
    }

    [TestMethod]
    public async Task A_list_timeline_is_shown_only_to_a_token_that_authenticates_its_owner_with_the_list_scope()
    {
        // The list's ownership and range query start beside the token (by the account id in front of it): nothing of
        // them may reach a caller whose token is refused, belongs to someone else or lacks read:lists.
        var id = await CreateAsync("Early");
        Assert.AreEqual(HttpStatusCode.OK, (await Send(HttpMethod.Post, $"/api/v1/lists/{id}/accounts", _token, Json($$"""{"account_ids":["{{Others[4].Id}}"]}"""))).Status);
        var author = await _instance.Services.GetRequiredService<AccessTokenStore>().IssueAsync(Others[4].Id, ["write"]);
        var postId = (await Send(HttpMethod.Post, "/api/v1/statuses", author, Json("""{"status":"Only for the list's owner"}"""))).Body.GetProperty("id").GetString()!;
        await ServerlessFedi.Tests.Federation.Eventually.ValueAsync(async () => (await Send(HttpMethod.Get, $"/api/v1/timelines/list/{id}", _readOnly)).Body, b => b.GetArrayLength() > 0, "the post in the list timeline");
        var writeOnly = await _instance.Services.GetRequiredService<AccessTokenStore>().IssueAsync(_alice.Id, ["write"]);
        (string Token, HttpStatusCode Status)[] hostile =
        [
            (_alice.Id + _bobsToken[_bobsToken.IndexOf('.', StringComparison.Ordinal)..], HttpStatusCode.Unauthorized), // bob's secret under alice's id
            (_alice.Id + ".", HttpStatusCode.Unauthorized),
            (_alice.Id, HttpStatusCode.Unauthorized),
            (_bobsToken, HttpStatusCode.NotFound),
            (writeOnly, HttpStatusCode.Forbidden),
        ];

        foreach (var (token, expected) in hostile)
        {
            var (status, body, _) = await Send(HttpMethod.Get, $"/api/v1/timelines/list/{id}", token);

            Assert.AreEqual(expected, status, token);
            Assert.IsFalse(body.ToString().Contains(postId, StringComparison.Ordinal), token);
            Assert.IsTrue(body.TryGetProperty("error", out _), token);
        }
    }

    [TestMethod]
    [DataRow("""{"title":""}""", "Title")]
    [DataRow("""{"title":"x","replies_policy":"everyone"}""", "Replies policy")]
    public async Task Invalid_lists_are_refused_with_422(string json, string mentioned)
    {
        var (status, body, _) = await Send(HttpMethod.Post, "/api/v1/lists", _token, Json(json));

        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, status);
        StringAssert.Contains(body.GetProperty("error").GetString(), mentioned);
    }

    [TestMethod]
    public async Task Lists_are_private_to_their_owner_and_need_the_list_scopes()
    {
        var id = await CreateAsync("Private");

        Assert.AreEqual(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, $"/api/v1/lists/{id}", _bobsToken)).Status);
        Assert.AreEqual(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, $"/api/v1/lists/{id}/accounts", _bobsToken)).Status);
        Assert.AreEqual(HttpStatusCode.NotFound, (await Send(HttpMethod.Delete, $"/api/v1/lists/{id}", _bobsToken)).Status);
        Assert.AreEqual(HttpStatusCode.Forbidden, (await Send(HttpMethod.Post, "/api/v1/lists", _readOnly, Json("""{"title":"x"}"""))).Status);
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Get, "/api/v1/lists", null)).Status);
    }
}
