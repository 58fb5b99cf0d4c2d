using System.Net;
using System.Text.Json;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>
/// Mastodon's own paths and scopes where apps call them (issue 14 item 8): filter keywords and statuses under
/// <c>/api/v2/filters/keywords|statuses/:id</c> (the older paths still answer), the <c>profile</c> scope on
/// <c>verify_credentials</c>, and notification filtering answered for a server that filters nothing.
/// </summary>
[TestClass]
public sealed class MastodonPathsAndScopesTests
{
    private static TestInstance _instance = null!;
    private static ApiTestClient _client = null!;
    private static string _token = "";
    private static string _profileOnly = "";

    [ClassInitialize]
    public static async Task Start(TestContext context)
    {
        _instance = await TestInstance.StartAsync();
        _client = new ApiTestClient(_instance);
        (_, _token) = await _client.AccountAsync("alice", "read", "write");
        (_, _profileOnly) = await _client.AccountAsync("bob", "profile");
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    [TestMethod]
    public async Task Filter_keywords_and_statuses_answer_at_Mastodons_paths_and_at_the_old_ones()
    {
        var statusId = await _client.PostAsync(_token, "Road works on Main Street");
        var (created, filter) = await _client.SendAsync(HttpMethod.Post, "/api/v2/filters", _token, ApiTestClient.Json(new
        {
            title = "Roads",
            context = new[] { "home" },
            keywords_attributes = new[] { new { keyword = "road", whole_word = true } },
        }));
        Assert.AreEqual(HttpStatusCode.OK, created, filter.ToString());
        var filterId = filter.GetProperty("id").GetString();
        var keywordId = filter.GetProperty("keywords")[0].GetProperty("id").GetString();
        var (_, filterStatus) = await _client.SendAsync(HttpMethod.Post, $"/api/v2/filters/{filterId}/statuses", _token, ApiTestClient.Json(new { status_id = statusId }));
        var filterStatusId = filterStatus.GetProperty("id").GetString();

        var (shown, keyword) = await _client.GetAsync($"/api/v2/filters/keywords/{keywordId}", _token);
        var (oldShown, oldKeyword) = await _client.GetAsync($"/api/v2/filter_keywords/{keywordId}", _token);
        var (updated, changed) = await _client.SendAsync(HttpMethod.Put, $"/api/v2/filters/keywords/{keywordId}", _token, ApiTestClient.Json(new { keyword = "street" }));
        var (statusShown, status) = await _client.GetAsync($"/api/v2/filters/statuses/{filterStatusId}", _token);
        var (statusDeleted, _) = await _client.SendAsync(HttpMethod.Delete, $"/api/v2/filters/statuses/{filterStatusId}", _token);
        var (keywordDeleted, _) = await _client.SendAsync(HttpMethod.Delete, $"/api/v2/filters/keywords/{keywordId}", _token);
        var (gone, _) = await _client.GetAsync($"/api/v2/filters/keywords/{keywordId}", _token);

        Assert.AreEqual(HttpStatusCode.OK, shown, keyword.ToString());
        Assert.AreEqual("road", keyword.GetProperty("keyword").GetString());
        Assert.AreEqual(HttpStatusCode.OK, oldShown);
        Assert.AreEqual(keyword.ToString(), oldKeyword.ToString());
        Assert.AreEqual(HttpStatusCode.OK, updated, changed.ToString());
        Assert.AreEqual("street", changed.GetProperty("keyword").GetString());
        Assert.AreEqual(HttpStatusCode.OK, statusShown, status.ToString());
        Assert.AreEqual(statusId, status.GetProperty("status_id").GetString());
        Assert.AreEqual(HttpStatusCode.OK, statusDeleted);
        Assert.AreEqual(HttpStatusCode.OK, keywordDeleted);
        Assert.AreEqual(HttpStatusCode.NotFound, gone);
    }

    [TestMethod]
    public async Task A_profile_token_verifies_credentials_and_reads_nothing_else()
    {
        var (verified, account) = await _client.GetAsync("/api/v1/accounts/verify_credentials", _profileOnly);
        var (refused, _) = await _client.GetAsync("/api/v1/timelines/home", _profileOnly);
        var (other, _) = await _client.GetAsync("/api/v1/accounts/relationships?id[]=1", _profileOnly);
        var (readToken, _) = await _client.GetAsync("/api/v1/accounts/verify_credentials", _token);

        Assert.AreEqual(HttpStatusCode.OK, verified, account.ToString());
        Assert.AreEqual("bob", account.GetProperty("username").GetString());
        Assert.AreEqual(HttpStatusCode.Forbidden, refused);
        Assert.AreEqual(HttpStatusCode.Forbidden, other);
        Assert.AreEqual(HttpStatusCode.OK, readToken, "read includes profile");
    }

    [TestMethod]
    public async Task Notification_filtering_is_answered_as_accepting_everything_with_no_requests()
    {
        var (policyStatus, policy) = await _client.GetAsync("/api/v2/notifications/policy", _token);
        var (accepted, same) = await _client.SendAsync(HttpMethod.Patch, "/api/v2/notifications/policy", _token, ApiTestClient.Json(new { for_not_following = "accept" }));
        var (refused, error) = await _client.SendAsync(HttpMethod.Patch, "/api/v2/notifications/policy", _token, ApiTestClient.Json(new { for_new_accounts = "filter" }));
        var (requestsStatus, requests) = await _client.GetAsync("/api/v1/notifications/requests", _token);
        var (oneStatus, _) = await _client.GetAsync("/api/v1/notifications/requests/117684648624352871", _token);
        var (acceptOne, _) = await _client.SendAsync(HttpMethod.Post, "/api/v1/notifications/requests/117684648624352871/accept", _token);
        var (dismissMany, done) = await _client.SendAsync(HttpMethod.Post, "/api/v1/notifications/requests/dismiss", _token, ApiTestClient.Json(new { id = new[] { "1" } }));
        var (mergedStatus, merged) = await _client.GetAsync("/api/v1/notifications/requests/merged", _token);
        var (anonymous, _) = await _client.GetAsync("/api/v2/notifications/policy", null);

        Assert.AreEqual(HttpStatusCode.OK, policyStatus, policy.ToString());
        foreach (var field in new[] { "for_not_following", "for_not_followers", "for_new_accounts", "for_private_mentions", "for_limited_accounts" })
        {
            Assert.AreEqual("accept", policy.GetProperty(field).GetString(), field);
        }

        Assert.AreEqual(0, policy.GetProperty("summary").GetProperty("pending_requests_count").GetInt32());
        Assert.AreEqual(HttpStatusCode.OK, accepted, same.ToString());
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, refused, error.ToString());
        Assert.AreEqual(HttpStatusCode.OK, requestsStatus);
        Assert.AreEqual(JsonValueKind.Array, requests.ValueKind);
        Assert.AreEqual(0, requests.GetArrayLength());
        Assert.AreEqual(HttpStatusCode.NotFound, oneStatus);
        Assert.AreEqual(HttpStatusCode.NotFound, acceptOne);
        Assert.AreEqual(HttpStatusCode.OK, dismissMany, done.ToString());
        Assert.AreEqual(HttpStatusCode.OK, mergedStatus);
        Assert.IsTrue(merged.GetProperty("merged").GetBoolean());
        Assert.AreEqual(HttpStatusCode.Unauthorized, anonymous);
    }
}
