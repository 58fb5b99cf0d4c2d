using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ServerlessFedi.Tests.Federation;

/// <summary><c>GET /api/v1/statuses/:id/quotes</c> pages as Mastodon's lists do (docs: methods/statuses#quotes, api/guidelines#pagination).</summary>
public sealed partial class QuoteFederationTests
{
    [TestMethod]
    public async Task The_quotes_of_a_status_are_paged_newest_first_with_links()
    {
        var (_, token) = await AccountAsync("muchquoted");
        var (_, quoterToken) = await AccountAsync("quotesalot");
        var post = await PostAsync(token, "Quote this, everyone.");
        var quotes = new List<string>();
        for (var i = 0; i < 23; i++)
        {
            var (status, created) = await SendAsync(HttpMethod.Post, "/api/v1/statuses", quoterToken, Json(new { status = $"Quote {i}", quoted_status_id = post }));
            Assert.AreEqual(HttpStatusCode.OK, status, created.ToString());
            quotes.Add(created.GetProperty("id").GetString()!);
        }

        await Eventually.TrueAsync(async () => (await GetAsync($"/api/v1/statuses/{post}", token)).Body.GetProperty("quotes_count").GetInt64() == 23, "all quotes counted");
        var newestFirst = Enumerable.Reverse(quotes).ToArray();
        var path = $"/api/v1/statuses/{post}/quotes";

        var (first, firstLink) = await PageAsync(path, token);
        CollectionAssert.AreEqual(newestFirst.Take(20).ToArray(), first, "20 by default");
        StringAssert.Contains(firstLink, $"<{Instance.BaseUrl}{path}?max_id={newestFirst[19]}>; rel=\"next\"");
        StringAssert.Contains(firstLink, $"<{Instance.BaseUrl}{path}?min_id={newestFirst[0]}>; rel=\"prev\"");

        var (rest, restLink) = await PageAsync($"{path}?max_id={newestFirst[19]}", token);
        CollectionAssert.AreEqual(newestFirst.Skip(20).ToArray(), rest);
        Assert.DoesNotContain("rel=\"next\"", restLink, "the last page has no next link");

        var (all, _) = await PageAsync($"{path}?limit=100", token);
        Assert.HasCount(23, all, "at most 40");
        var (small, smallLink) = await PageAsync($"{path}?limit=5&max_id={newestFirst[4]}", token);
        CollectionAssert.AreEqual(newestFirst.Skip(5).Take(5).ToArray(), small);
        StringAssert.Contains(smallLink, $"?limit=5&max_id={newestFirst[9]}>; rel=\"next\"");
        var (newer, _) = await PageAsync($"{path}?limit=3&min_id={newestFirst[10]}", token);
        CollectionAssert.AreEqual(newestFirst.Skip(7).Take(3).ToArray(), newer, "min_id: the page just after it");
        var (latest, _) = await PageAsync($"{path}?limit=3&since_id={newestFirst[10]}", token);
        CollectionAssert.AreEqual(newestFirst.Take(3).ToArray(), latest, "since_id: the newest after it");
        var (_, ignored) = await PageAsync($"{path}?max_id=not-an-id&limit=x", token);
        StringAssert.Contains(ignored, $"max_id={newestFirst[19]}", "bad cursors and limits are ignored, as Mastodon");
    }

    /// <summary>The ids of one page and its <c>Link</c> header ("" without one).</summary>
    private static async Task<(string[] Ids, string Link)> PageAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Instance.Http.SendAsync(request);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, path);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var ids = body.EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToArray();
        return (ids, response.Headers.TryGetValues("Link", out var link) ? string.Join(", ", link) : "");
    }
}
