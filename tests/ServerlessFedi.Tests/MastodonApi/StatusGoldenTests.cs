using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Federation;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>
/// Whole answers of the status, timeline and thread endpoints against golden files (docs: methods/statuses,
/// methods/timelines; entities/Status, Context, StatusEdit, StatusSource, Error): statuses as a viewer sees them (marks,
/// boosts, filters), remote statuses, pagination headers, and the error shapes with their headers.
/// </summary>
[TestClass]
public sealed class StatusGoldenTests
{
    [TestMethod]
    public async Task Posting_showing_boosting_replying_and_threads()
    {
        await using var g = await GoldenInstance.StartAsync();
        var (alice, aliceToken) = await g.AccountAsync("alice", "Alice Agency");
        var (_, bobToken) = await g.AccountAsync("bob");
        await g.DoAsync(HttpMethod.Post, $"/api/v1/accounts/{alice.Id}/follow", bobToken);

        var post = await g.PostAsync("status-create", "/api/v1/statuses", aliceToken, new
        {
            status = "Opening hours for @bob: 9 <to> 5 & more #Opening https://agency.example.gov/news?a=1&b=2",
            spoiler_text = "Hours",
            language = "en",
            visibility = "public",
        });
        var postId = post.GetProperty("id").GetString();
        await g.DrainAsync();

        await g.GetAsync("status-show-anonymous", $"/api/v1/statuses/{postId}");
        await g.PostAsync("status-favourite", $"/api/v1/statuses/{postId}/favourite", bobToken);
        await g.DoAsync(HttpMethod.Post, $"/api/v1/statuses/{postId}/bookmark", bobToken);
        await g.GetAsync("status-show-marked", $"/api/v1/statuses/{postId}", bobToken);
        await g.PostAsync("status-reblog", $"/api/v1/statuses/{postId}/reblog", bobToken);
        var reply = await g.PostAsync("status-reply", "/api/v1/statuses", bobToken, new { status = "@alice Thanks!", in_reply_to_id = postId });
        var replyId = reply.GetProperty("id").GetString();
        await g.DrainAsync();

        await g.GetAsync("status-context", $"/api/v1/statuses/{replyId}/context");
        await g.GetAsync("timeline-home", "/api/v1/timelines/home?limit=2", bobToken);
        await g.GetAsync("timeline-public", "/api/v1/timelines/public?local=true");
        await g.GetAsync("timeline-tag", "/api/v1/timelines/tag/opening");
        await g.GetAsync("account-statuses-with-boost", $"/api/v1/accounts/{reply.GetProperty("account").GetProperty("id").GetString()}/statuses");
        await g.GetAsync("favourites", "/api/v1/favourites", bobToken);
        await g.GetAsync("favourited-by", $"/api/v1/statuses/{postId}/favourited_by");

        await g.GoldenAsync("status-edit", HttpMethod.Put, $"/api/v1/statuses/{postId}", aliceToken, new { status = "Opening hours: 9 to 6", spoiler_text = "Hours", language = "en" });
        await g.GetAsync("status-history", $"/api/v1/statuses/{postId}/history");
        await g.GetAsync("status-source", $"/api/v1/statuses/{postId}/source", aliceToken);
        await g.GoldenAsync("status-delete", HttpMethod.Delete, $"/api/v1/statuses/{replyId}", bobToken);
    }

    [TestMethod]
    public async Task Filtered_statuses_in_the_home_timeline()
    {
        await using var g = await GoldenInstance.StartAsync();
        var (alice, aliceToken) = await g.AccountAsync("alice");
        var (_, bobToken) = await g.AccountAsync("bob");
        await g.DoAsync(HttpMethod.Post, $"/api/v1/accounts/{alice.Id}/follow", bobToken);
        await g.DoAsync(HttpMethod.Post, "/api/v2/filters", bobToken, new
        {
            title = "Strikes",
            context = new[] { "home" },
            filter_action = "warn",
            expires_in = 86400,
            keywords_attributes = new[] { new { keyword = "strike", whole_word = true } },
        });
        await g.DoAsync(HttpMethod.Post, "/api/v2/filters", bobToken, new { title = "Noise", context = new[] { "home" }, filter_action = "hide", keywords_attributes = new[] { new { keyword = "noise" } } });
        await g.DoAsync(HttpMethod.Post, "/api/v1/statuses", aliceToken, new { status = "Strike tomorrow" });
        await g.DoAsync(HttpMethod.Post, "/api/v1/statuses", aliceToken, new { status = "Noise, hidden" });
        await g.DoAsync(HttpMethod.Post, "/api/v1/statuses", aliceToken, new { status = "Nothing to filter" });
        await g.DrainAsync();

        await g.GetAsync("timeline-home-filtered", "/api/v1/timelines/home", bobToken);
    }

    [TestMethod]
    public async Task Remote_statuses_with_media_and_emoji()
    {
        await using var g = await GoldenInstance.StartAsync();
        var (_, token) = await g.AccountAsync("alice");
        var actor = new RemoteActor(
            "https://remote.example/users/carol", "Person", "carol", "Carol", "https://remote.example/users/carol/inbox", "https://remote.example/inbox",
            "https://remote.example/@carol", "https://remote.example/users/carol#main-key", "unused", null, null, g.Time.GetUtcNow())
        {
            Summary = "<p>Hi</p>",
            IconUrl = "https://remote.example/avatar.png",
            Published = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero),
        };
        await g.Services.GetRequiredService<RemoteActorStore>().PutAsync(actor, CancellationToken.None);
        var status = new Status
        {
            Id = "115000000000000001",
            AccountId = actor.AccountId,
            Text = "",
            ContentHtml = "<p>From afar :wave: <a href=\"https://remote.example/tags/club\" class=\"mention hashtag\">#<span>club</span></a></p>",
            CreatedAt = g.Time.GetUtcNow().AddMinutes(-5),
            Uri = "https://remote.example/users/carol/statuses/1",
            Url = "https://remote.example/@carol/1",
            Language = "de",
            Tags = ["club"],
            RemoteMedia = [new RemoteAttachment { Type = "image", Url = "https://remote.example/files/1.jpg", Description = "A photo", Width = 800, Height = 600, Blurhash = "LEHV6nWB2yk8pyo0adR*.7kCMdnj" }],
            Emojis = [new RemoteEmoji("wave", "https://remote.example/emoji/wave.png")],
        };
        await g.Services.GetRequiredService<StatusStore>().AddRemoteAsync(status, CancellationToken.None);

        await g.GetAsync("status-remote", $"/api/v1/statuses/{status.Id}", token);
        await g.GetAsync("account-remote", $"/api/v1/accounts/{actor.AccountId}", token);
        await g.GetAsync("search-status-by-url", $"/api/v2/search?q={Uri.EscapeDataString(status.Uri)}&type=statuses", token);
    }

    [TestMethod]
    public async Task Errors_have_mastodon_shape_and_headers()
    {
        await using var g = await GoldenInstance.StartAsync();
        var (_, token) = await g.AccountAsync("alice");
        var (_, readOnly) = await g.AccountAsync("reader", null, "read");

        await g.GetAsync("error-not-found", "/api/v1/statuses/123456789012345678", token);
        await g.PostAsync("error-unauthorized", "/api/v1/statuses", null, new { status = "x" });
        await g.PostAsync("error-bad-token", "/api/v1/statuses", "not-a-token", new { status = "x" });
        await g.PostAsync("error-scope", "/api/v1/statuses", readOnly, new { status = "x" });
        await g.PostAsync("error-visibility", "/api/v1/statuses", token, new { status = "x", visibility = "everyone" });
        await g.PostAsync("error-poll", "/api/v1/statuses", token, new { status = "x", poll = new { options = new[] { "only" }, expires_in = 600 } });
        await g.PostAsync("error-blank-status", "/api/v1/statuses", token, new { status = " " });
        await g.PostAsync("error-unknown-reply", "/api/v1/statuses", token, new { status = "x", in_reply_to_id = "123456789012345678" });
        await g.GetAsync("error-unknown-api-path", "/api/v1/no_such_thing", token);

        using var bad = new HttpRequestMessage(HttpMethod.Post, "/api/v1/statuses") { Content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json") };
        bad.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await g.Instance.Http.SendAsync(bad);
        await GoldenJson.MatchAsync("error-bad-body", response);
    }
}
