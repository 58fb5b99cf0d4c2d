using Microsoft.AspNetCore.Http;
using ServerlessFedi.Configuration;
using ServerlessFedi.MastodonApi;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary><see cref="PageRequest"/> and <see cref="PageLinks"/>: Mastodon's pagination parameters and Link header.</summary>
[TestClass]
public sealed class PaginationTests
{
    private static readonly InstanceUrls Urls = new(new FediOptions { BaseUrl = "https://social.example.gov" });

    private static PageRequest Parse(string query, int defaultLimit = 20, int maxLimit = 40) =>
        PageRequest.Parse(new DefaultHttpContext { Request = { QueryString = new QueryString(query) } }.Request.Query, defaultLimit, maxLimit);

    [TestMethod]
    public void Without_parameters_the_default_limit_and_no_cursor_apply()
    {
        var page = Parse("");

        Assert.AreEqual(new PageRequest(null, null, null, 20), page);
        Assert.IsFalse(page.ReadsForward);
    }

    [TestMethod]
    [DataRow("?limit=5", 5)]
    [DataRow("?limit=40", 40)]
    [DataRow("?limit=41", 40)]
    [DataRow("?limit=99999999999999999999999", 20)]
    [DataRow("?limit=0", 20)]
    [DataRow("?limit=-3", 20)]
    [DataRow("?limit=ten", 20)]
    [DataRow("?limit=", 20)]
    public void Limit_takes_the_default_when_unusable_and_is_clamped_to_the_maximum(string query, int expected) =>
        Assert.AreEqual(expected, Parse(query).Limit);

    [TestMethod]
    public void Endpoints_choose_their_own_default_and_maximum() =>
        Assert.AreEqual(80, Parse("?limit=500", defaultLimit: 40, maxLimit: 80).Limit);

    [TestMethod]
    public void Cursors_that_are_not_decimal_ids_are_ignored()
    {
        var page = Parse("?max_id=abc&since_id=12x&min_id=" + new string('9', 20));

        Assert.IsNull(page.MaxId);
        Assert.IsNull(page.SinceId);
        Assert.IsNull(page.MinId);
    }

    [TestMethod]
    public void Cursors_are_read_and_min_id_wins_over_since_id()
    {
        var page = Parse("?max_id=300&since_id=100&min_id=200");

        Assert.AreEqual("300", page.MaxId);
        Assert.AreEqual("200", page.LowerBound);
        Assert.IsTrue(page.ReadsForward);
        Assert.IsTrue(page.Contains("250"));
        Assert.IsFalse(page.Contains("300"), "max_id is exclusive");
        Assert.IsFalse(page.Contains("200"), "min_id is exclusive");
        Assert.IsFalse(page.Contains("150"));
    }

    [TestMethod]
    public void Ids_compare_as_numbers_whatever_their_length()
    {
        Assert.IsLessThan(0, PageRequest.Compare("99", "100"));
        Assert.IsGreaterThan(0, PageRequest.Compare("117684648624352871", "117684648624352870"));
        Assert.AreEqual("7", Parse("?max_id=007").MaxId);
    }

    [TestMethod]
    public void Parameters_from_a_body_are_read_as_well()
    {
        var request = new DefaultHttpContext().Request;
        request.QueryString = new QueryString("?limit=3&max_id=9");
        var (parameters, _) = ApiParameters.ReadAsync(request, CancellationToken.None).GetAwaiter().GetResult();

        Assert.AreEqual(new PageRequest("9", null, null, 3), PageRequest.Parse(parameters!));
    }

    [TestMethod]
    public void A_full_page_links_next_by_its_oldest_id_and_prev_by_its_newest_keeping_other_parameters()
    {
        var page = Parse("?limit=2&local=true&max_id=50&types[]=mention&types[]=follow");

        var link = PageLinks.Build(Urls, "/api/v1/timelines/public", [("limit", "2"), ("local", "true"), ("max_id", "50"), ("types[]", "mention"), ("types[]", "follow")], page, ["40", "30"]);

        Assert.AreEqual(
            "<https://social.example.gov/api/v1/timelines/public?limit=2&local=true&types%5B%5D=mention&types%5B%5D=follow&max_id=30>; rel=\"next\", "
            + "<https://social.example.gov/api/v1/timelines/public?limit=2&local=true&types%5B%5D=mention&types%5B%5D=follow&min_id=40>; rel=\"prev\"",
            link);
    }

    [TestMethod]
    public void A_short_page_has_no_next_link_so_clients_stop()
    {
        var link = PageLinks.Build(Urls, "/api/v1/favourites", [], Parse("?limit=20"), ["40", "30"]);

        Assert.AreEqual("<https://social.example.gov/api/v1/favourites?min_id=40>; rel=\"prev\"", link);
    }

    [TestMethod]
    public void An_empty_page_has_no_link_header()
    {
        Assert.IsNull(PageLinks.Build(Urls, "/api/v1/favourites", [], Parse(""), []));
        var result = Http.WireResult.Empty(200).WithPageLinks(null);
        Assert.IsFalse(result.Headers.ContainsKey("Link"));
    }

    [TestMethod]
    public void The_url_uses_the_configured_origin_never_the_request_host()
    {
        var request = new DefaultHttpContext().Request;
        request.Host = new HostString("internal-proxy:8080");
        request.Scheme = "http";
        request.Path = "/api/v1/timelines/home";
        request.QueryString = new QueryString("?limit=1");

        var link = PageLinks.Build(Urls, request, PageRequest.Parse(request.Query), ["5"]);

        Assert.AreEqual("<https://social.example.gov/api/v1/timelines/home?limit=1&max_id=5>; rel=\"next\", <https://social.example.gov/api/v1/timelines/home?limit=1&min_id=5>; rel=\"prev\"", link);
        Assert.AreEqual(link, Http.WireResult.Empty(200).WithPageLinks(link).Headers["Link"]);
    }
}
