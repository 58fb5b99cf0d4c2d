using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Filters;
using ServerlessFedi.OAuth;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>/api/v2/filters CRUD with keywords and statuses, the v1 view, scopes and validation, over real HTTP.</summary>
[TestClass]
public sealed class FiltersApiTests
{
    private static TestInstance _instance = null!;
    private static LocalAccount _alice = null!;
    private static string _token = "";
    private static string _readOnly = "";
    private static string _bobsToken = "";

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        _alice = await _instance.CreateAccountAsync("alice");
        var bob = await _instance.CreateAccountAsync("bob");
        var tokens = _instance.Services.GetRequiredService<AccessTokenStore>();
        _token = await tokens.IssueAsync(_alice.Id, ["read:filters", "write:filters"]);
        _readOnly = await tokens.IssueAsync(_alice.Id, ["read"]);
        _bobsToken = await tokens.IssueAsync(bob.Id, ["read", "write"]);
    }

    [ClassCleanup]
    public static async Task Stop() => await _instance.DisposeAsync();

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Send(HttpMethod method, string path, string? token, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await _instance.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> CreateAsync(string json, string? token = null)
    {
        var (status, body) = await Send(HttpMethod.Post, "/api/v2/filters", token ?? _token, Json(json));
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        return body;
    }

    [TestMethod]
    public async Task A_filter_is_created_from_JSON_with_keywords_and_read_back()
    {
        var created = await CreateAsync("""{"title":"Spoilers","context":["home","public"],"filter_action":"hide","expires_in":3600,"keywords_attributes":[{"keyword":"finale","whole_word":true},{"keyword":"ending"}]}""");

        Assert.AreEqual("Spoilers", created.GetProperty("title").GetString());
        CollectionAssert.AreEqual(new[] { "home", "public" }, created.GetProperty("context").EnumerateArray().Select(c => c.GetString()).ToArray());
        Assert.AreEqual("hide", created.GetProperty("filter_action").GetString());
        Assert.MatchesRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", created.GetProperty("expires_at").GetString()!);
        var keywords = created.GetProperty("keywords").EnumerateArray().ToArray();
        Assert.HasCount(2, keywords);
        Assert.AreEqual("finale", keywords[0].GetProperty("keyword").GetString());
        Assert.IsTrue(keywords[0].GetProperty("whole_word").GetBoolean());
        Assert.IsFalse(keywords[1].GetProperty("whole_word").GetBoolean());
        Assert.AreEqual(JsonValueKind.Array, created.GetProperty("statuses").ValueKind);

        var id = created.GetProperty("id").GetString();
        var (status, read) = await Send(HttpMethod.Get, $"/api/v2/filters/{id}", _readOnly);
        Assert.AreEqual(HttpStatusCode.OK, status);
        Assert.AreEqual(created.GetRawText(), read.GetRawText());
        var (_, list) = await Send(HttpMethod.Get, "/api/v2/filters", _token);
        Assert.IsTrue(list.EnumerateArray().Any(f => f.GetProperty("id").GetString() == id));

        var active = await _instance.Services.GetRequiredService<FilterStore>().GetActiveAsync(_alice.Id, CancellationToken.None);
        Assert.IsTrue(active.Any(f => f.Id == id), "the store hands timelines the active filters");
    }

    [TestMethod]
    public async Task A_filter_is_created_from_a_form_with_positional_and_indexed_keywords()
    {
        var form = new FormUrlEncodedContent(new List<KeyValuePair<string, string>>
        {
            new("title", "Form"),
            new("context[]", "notifications"),
            new("keywords_attributes[][keyword]", "one"),
            new("keywords_attributes[][whole_word]", "true"),
            new("keywords_attributes[][keyword]", "two"),
            new("keywords_attributes[][whole_word]", "false"),
        });
        var (status, body) = await Send(HttpMethod.Post, "/api/v2/filters", _token, form);
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        Assert.AreEqual("one:True,two:False", string.Join(",", body.GetProperty("keywords").EnumerateArray().Select(k => $"{k.GetProperty("keyword").GetString()}:{k.GetProperty("whole_word").GetBoolean()}")));
        Assert.AreEqual(JsonValueKind.Null, body.GetProperty("expires_at").ValueKind);
        Assert.AreEqual("warn", body.GetProperty("filter_action").GetString());

        var indexed = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["title"] = "Indexed",
            ["context[]"] = "thread",
            ["keywords_attributes[1][keyword]"] = "second",
            ["keywords_attributes[0][keyword]"] = "first",
            ["keywords_attributes[0][whole_word]"] = "1",
        });
        var (s2, b2) = await Send(HttpMethod.Post, "/api/v2/filters", _token, indexed);
        Assert.AreEqual(HttpStatusCode.OK, s2, b2.ToString());
        Assert.AreEqual("first:True,second:False", string.Join(",", b2.GetProperty("keywords").EnumerateArray().Select(k => $"{k.GetProperty("keyword").GetString()}:{k.GetProperty("whole_word").GetBoolean()}")));
    }

    [TestMethod]
    public async Task Update_changes_fields_and_adds_edits_and_destroys_keywords()
    {
        var created = await CreateAsync("""{"title":"Before","context":["home"],"keywords_attributes":[{"keyword":"keep"},{"keyword":"drop"},{"keyword":"edit"}]}""");
        var id = created.GetProperty("id").GetString();
        var k = created.GetProperty("keywords").EnumerateArray().ToDictionary(x => x.GetProperty("keyword").GetString()!, x => x.GetProperty("id").GetString()!);

        var (status, updated) = await Send(HttpMethod.Put, $"/api/v2/filters/{id}", _token, Json($$"""
            {"title":"After","context":["account"],"filter_action":"blur","keywords_attributes":[{"id":"{{k["drop"]}}","_destroy":true},{"id":"{{k["edit"]}}","keyword":"edited","whole_word":true},{"keyword":"new"}]}
            """));

        Assert.AreEqual(HttpStatusCode.OK, status, updated.ToString());
        Assert.AreEqual("After", updated.GetProperty("title").GetString());
        Assert.AreEqual("account", updated.GetProperty("context")[0].GetString());
        Assert.AreEqual("blur", updated.GetProperty("filter_action").GetString());
        Assert.AreEqual("keep,edited,new", string.Join(",", updated.GetProperty("keywords").EnumerateArray().Select(x => x.GetProperty("keyword").GetString())));
        Assert.AreEqual(k["edit"], updated.GetProperty("keywords")[1].GetProperty("id").GetString());

        var (unknown, _) = await Send(HttpMethod.Put, $"/api/v2/filters/{id}", _token, Json("""{"keywords_attributes":[{"id":"123","_destroy":true}]}"""));
        Assert.AreEqual(HttpStatusCode.NotFound, unknown);
    }

    [TestMethod]
    public async Task Keyword_and_status_sub_resources_work()
    {
        var id = (await CreateAsync("""{"title":"Subs","context":["home"]}""")).GetProperty("id").GetString();

        var (s1, keyword) = await Send(HttpMethod.Post, $"/api/v2/filters/{id}/keywords", _token, Json("""{"keyword":"alpha","whole_word":true}"""));
        Assert.AreEqual(HttpStatusCode.OK, s1, keyword.ToString());
        var keywordId = keyword.GetProperty("id").GetString();
        var (_, keywords) = await Send(HttpMethod.Get, $"/api/v2/filters/{id}/keywords", _token);
        Assert.AreEqual(keywordId, keywords[0].GetProperty("id").GetString());
        var (_, one) = await Send(HttpMethod.Get, $"/api/v2/filter_keywords/{keywordId}", _token);
        Assert.AreEqual("alpha", one.GetProperty("keyword").GetString());
        var (_, changed) = await Send(HttpMethod.Put, $"/api/v2/filter_keywords/{keywordId}", _token, Json("""{"keyword":"beta"}"""));
        Assert.AreEqual("beta", changed.GetProperty("keyword").GetString());
        Assert.IsTrue(changed.GetProperty("whole_word").GetBoolean());

        var (_, v1) = await Send(HttpMethod.Get, $"/api/v1/filters/{keywordId}", _readOnly);
        Assert.AreEqual("beta", v1.GetProperty("phrase").GetString());
        Assert.IsFalse(v1.GetProperty("irreversible").GetBoolean());
        var (_, v1List) = await Send(HttpMethod.Get, "/api/v1/filters", _readOnly);
        Assert.IsTrue(v1List.EnumerateArray().Any(f => f.GetProperty("id").GetString() == keywordId));

        var (s2, filtered) = await Send(HttpMethod.Post, $"/api/v2/filters/{id}/statuses", _token, Json("""{"status_id":"117684648624352871"}"""));
        Assert.AreEqual(HttpStatusCode.OK, s2, filtered.ToString());
        var filterStatusId = filtered.GetProperty("id").GetString();
        Assert.AreEqual("117684648624352871", (await Send(HttpMethod.Get, $"/api/v2/filter_statuses/{filterStatusId}", _token)).Body.GetProperty("status_id").GetString());
        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, (await Send(HttpMethod.Post, $"/api/v2/filters/{id}/statuses", _token, Json("""{"status_id":"117684648624352871"}"""))).Status);
        Assert.AreEqual(HttpStatusCode.OK, (await Send(HttpMethod.Delete, $"/api/v2/filter_statuses/{filterStatusId}", _token)).Status);
        Assert.AreEqual(HttpStatusCode.OK, (await Send(HttpMethod.Delete, $"/api/v2/filter_keywords/{keywordId}", _token)).Status);
        Assert.AreEqual(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, $"/api/v2/filter_keywords/{keywordId}", _token)).Status);

        var (deleted, empty) = await Send(HttpMethod.Delete, $"/api/v2/filters/{id}", _token);
        Assert.AreEqual(HttpStatusCode.OK, deleted);
        Assert.AreEqual("{}", empty.GetRawText());
        Assert.AreEqual(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, $"/api/v2/filters/{id}", _token)).Status);
    }

    [TestMethod]
    [DataRow("""{"context":["home"]}""", "Title")]
    [DataRow("""{"title":"x"}""", "Context")]
    [DataRow("""{"title":"x","context":["everywhere"]}""", "everywhere")]
    [DataRow("""{"title":"x","context":["home"],"filter_action":"delete"}""", "Filter action")]
    [DataRow("""{"title":"x","context":["home"],"expires_in":"-5"}""", "expires_in")]
    [DataRow("""{"title":"x","context":["home"],"keywords_attributes":[{"keyword":"  "}]}""", "Keyword")]
    public async Task Invalid_filters_are_refused_with_422(string json, string mentioned)
    {
        var (status, body) = await Send(HttpMethod.Post, "/api/v2/filters", _token, Json(json));

        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, status);
        StringAssert.Contains(body.GetProperty("error").GetString(), mentioned);
    }

    [TestMethod]
    public async Task Filters_are_private_to_their_account_and_need_the_filter_scopes()
    {
        var id = (await CreateAsync("""{"title":"Mine","context":["home"]}""")).GetProperty("id").GetString();

        Assert.AreEqual(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, $"/api/v2/filters/{id}", _bobsToken)).Status);
        Assert.AreEqual(HttpStatusCode.NotFound, (await Send(HttpMethod.Delete, $"/api/v2/filters/{id}", _bobsToken)).Status);
        Assert.AreEqual(HttpStatusCode.Forbidden, (await Send(HttpMethod.Post, "/api/v2/filters", _readOnly, Json("""{"title":"x","context":["home"]}"""))).Status);
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Get, "/api/v2/filters", null)).Status);
        Assert.AreEqual(HttpStatusCode.BadRequest, (await Send(HttpMethod.Post, "/api/v2/filters", _token, Json("{not json"))).Status);
    }
}
