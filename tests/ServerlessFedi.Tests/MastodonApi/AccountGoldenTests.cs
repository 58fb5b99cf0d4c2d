namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>
/// Whole answers of the account, relationship, list, filter and per-account settings endpoints against golden files
/// (docs: methods/accounts, follow_requests, blocks, mutes, lists, filters, markers, preferences, featured_tags,
/// domain_blocks; entities/Account, CredentialAccount, Relationship, List, Filter, Marker, Preferences, FeaturedTag).
/// </summary>
[TestClass]
public sealed class AccountGoldenTests
{
    [TestMethod]
    public async Task Accounts_and_relationships()
    {
        await using var g = await GoldenInstance.StartAsync();
        var (alice, aliceToken) = await g.AccountAsync("alice", "Alice Agency");
        var (bob, bobToken) = await g.AccountAsync("bob");
        var (carol, carolToken) = await g.AccountAsync("carol");
        await g.GoldenAsync("credential-account-update", HttpMethod.Patch, "/api/v1/accounts/update_credentials", aliceToken, new
        {
            display_name = "Alice & Co",
            note = "Line one\nLine <two> https://agency.example.gov",
            locked = true,
            source = new { privacy = "unlisted", language = "de", sensitive = true },
            fields_attributes = new[] { new { name = "Web", value = "https://agency.example.gov" }, new { name = "Phone", value = "+49 30 1234" } },
        });

        await g.PostAsync("relationship-follow-requested", $"/api/v1/accounts/{alice.Id}/follow", bobToken);
        await g.PostAsync("relationship-follow", $"/api/v1/accounts/{bob.Id}/follow", carolToken, new { reblogs = false });
        await g.DoAsync(HttpMethod.Post, $"/api/v1/accounts/{alice.Id}/follow", carolToken);
        await g.GetAsync("follow-requests", "/api/v1/follow_requests", aliceToken);
        await g.PostAsync("follow-request-authorize", $"/api/v1/follow_requests/{bob.Id}/authorize", aliceToken);
        await g.GetAsync("credential-account", "/api/v1/accounts/verify_credentials", aliceToken);
        await g.GetAsync("account", $"/api/v1/accounts/{alice.Id}");
        await g.GetAsync("account-lookup", "/api/v1/accounts/lookup?acct=bob");
        await g.GetAsync("accounts-search", "/api/v1/accounts/search?q=ca", aliceToken);
        await g.GetAsync("relationships", $"/api/v1/accounts/relationships?id[]={bob.Id}&id[]={carol.Id}&id[]=999", aliceToken);
        await g.GetAsync("account-followers-page", $"/api/v1/accounts/{alice.Id}/followers?limit=1", aliceToken);
        await g.GetAsync("account-following", $"/api/v1/accounts/{carol.Id}/following");

        await g.PostAsync("relationship-block", $"/api/v1/accounts/{carol.Id}/block", aliceToken);
        await g.PostAsync("relationship-mute", $"/api/v1/accounts/{bob.Id}/mute", aliceToken);
        await g.GetAsync("blocks", "/api/v1/blocks", aliceToken);
        await g.GetAsync("mutes", "/api/v1/mutes", aliceToken);
        await g.PostAsync("error-act-on-self", $"/api/v1/accounts/{alice.Id}/follow", aliceToken);
        await g.PostAsync("error-follow-blocked", $"/api/v1/accounts/{alice.Id}/follow", carolToken);
        await g.GetAsync("error-unknown-account", "/api/v1/accounts/123456789012345678");
        await g.GetAsync("error-lookup-blank", "/api/v1/accounts/lookup?acct=");
    }

    [TestMethod]
    public async Task Lists_markers_preferences_featured_tags_and_domain_blocks()
    {
        await using var g = await GoldenInstance.StartAsync();
        var (alice, aliceToken) = await g.AccountAsync("alice");
        var (bob, bobToken) = await g.AccountAsync("bob");
        await g.DoAsync(HttpMethod.Post, $"/api/v1/accounts/{bob.Id}/follow", aliceToken);
        await g.DoAsync(HttpMethod.Post, "/api/v1/statuses", aliceToken, new { status = "#Budget and #budget and #Roads" });

        var list = await g.PostAsync("list-create", "/api/v1/lists", aliceToken, new { title = "Agencies", replies_policy = "followed", exclusive = true });
        var listId = list.GetProperty("id").GetString();
        await g.PostAsync("list-add-members", $"/api/v1/lists/{listId}/accounts", aliceToken, new { account_ids = new[] { bob.Id } });
        await g.GetAsync("lists", "/api/v1/lists", aliceToken);
        await g.GetAsync("list-members", $"/api/v1/lists/{listId}/accounts", aliceToken);
        await g.GetAsync("account-lists", $"/api/v1/accounts/{bob.Id}/lists", aliceToken);
        await g.GetAsync("timeline-list", $"/api/v1/timelines/list/{listId}", aliceToken);
        await g.PostAsync("error-list-title", "/api/v1/lists", aliceToken, new { title = "" });
        await g.GoldenAsync("list-delete", HttpMethod.Delete, $"/api/v1/lists/{listId}", aliceToken);

        await g.PostAsync("markers-set", "/api/v1/markers", aliceToken, new { home = new { last_read_id = "115000000000000001" }, notifications = new { last_read_id = "115000000000000002" } });
        await g.PostAsync("markers-set-again", "/api/v1/markers", aliceToken, new { home = new { last_read_id = "115000000000000009" } });
        await g.GetAsync("markers", "/api/v1/markers?timeline[]=home&timeline[]=notifications", aliceToken);
        await g.PostAsync("error-marker", "/api/v1/markers", aliceToken, new { home = new { last_read_id = "abc" } });
        await g.GetAsync("preferences", "/api/v1/preferences", aliceToken);

        var tag = await g.PostAsync("featured-tag-create", "/api/v1/featured_tags", aliceToken, new { name = "#Budget" });
        await g.GetAsync("featured-tags", "/api/v1/featured_tags", aliceToken);
        await g.GetAsync("featured-tag-suggestions", "/api/v1/featured_tags/suggestions", aliceToken);
        await g.GetAsync("account-featured-tags", $"/api/v1/accounts/{alice.Id}/featured_tags");
        await g.GetAsync("endorsements", "/api/v1/endorsements", aliceToken);
        await g.PostAsync("error-featured-tag", "/api/v1/featured_tags", aliceToken, new { name = "12345" });
        await g.GoldenAsync("featured-tag-delete", HttpMethod.Delete, $"/api/v1/featured_tags/{tag.GetProperty("id").GetString()}", aliceToken);

        await g.PostAsync("domain-block", "/api/v1/domain_blocks", bobToken, new { domain = "spam.example" });
        await g.GetAsync("domain-blocks", "/api/v1/domain_blocks", bobToken);
        await g.PostAsync("error-domain-block", "/api/v1/domain_blocks", bobToken, new { domain = "not a host" });
    }

    [TestMethod]
    public async Task Filters_v2_and_v1()
    {
        await using var g = await GoldenInstance.StartAsync();
        var (_, token) = await g.AccountAsync("alice");
        var filter = await g.PostAsync("filter-create", "/api/v2/filters", token, new
        {
            title = "Strikes",
            context = new[] { "home", "public" },
            filter_action = "warn",
            expires_in = 3600,
            keywords_attributes = new object[] { new { keyword = "strike", whole_word = true }, new { keyword = "walkout" } },
        });
        var filterId = filter.GetProperty("id").GetString();
        var keyword = await g.PostAsync("filter-keyword-add", $"/api/v2/filters/{filterId}/keywords", token, new { keyword = "picket", whole_word = false });
        await g.PostAsync("filter-status-add", $"/api/v2/filters/{filterId}/statuses", token, new { status_id = "115000000000000001" });
        await g.GetAsync("filters", "/api/v2/filters", token);
        await g.GetAsync("filter-keywords", $"/api/v2/filters/{filterId}/keywords", token);
        await g.GetAsync("filter-statuses", $"/api/v2/filters/{filterId}/statuses", token);
        await g.GetAsync("filters-v1", "/api/v1/filters", token);
        await g.GoldenAsync("filter-keyword-update", HttpMethod.Put, $"/api/v2/filter_keywords/{keyword.GetProperty("id").GetString()}", token, new { keyword = "pickets" });
        await g.GoldenAsync("filter-update", HttpMethod.Put, $"/api/v2/filters/{filterId}", token, new { title = "Strikes!", filter_action = "hide" });
        await g.PostAsync("error-filter-context", "/api/v2/filters", token, new { title = "x", context = new[] { "everywhere" } });
        await g.GoldenAsync("filter-delete", HttpMethod.Delete, $"/api/v2/filters/{filterId}", token);
        await g.GetAsync("error-filter-gone", $"/api/v2/filters/{filterId}", token);
    }
}
