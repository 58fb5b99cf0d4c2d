using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Cards;
using ServerlessFedi.Configuration;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Tests.Cards;

/// <summary>Which link of a status is previewed (Mastodon's FetchLinkCardService), and the fetch budget that bounds a flood.</summary>
[TestClass]
public sealed class CardLinksTests
{
    private static readonly InstanceUrls Urls = new(new FediOptions { BaseUrl = "https://social.example.gov" });

    private static Status Local(string html, string spoiler = "") => new()
    {
        Id = "110000000000000001",
        AccountId = "1",
        Text = "",
        ContentHtml = html,
        SpoilerText = spoiler,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [TestMethod]
    public void The_first_link_that_is_not_a_mention_a_hashtag_or_our_own_is_previewed()
    {
        var status = Local(
            "<p><span class=\"h-card\"><a href=\"https://remote.example/@bob\" class=\"u-url mention\">@bob</a></span> "
            + "<a href=\"https://social.example.gov/tags/news\" class=\"mention hashtag\" rel=\"tag\">#news</a> "
            + "<a href=\"https://social.example.gov/@alice/1\">ours</a> <a href=\"https://remote.example/tags/x\" rel=\"tag\">#x</a> "
            + "<a href=\"mailto:a@b.example\">mail</a> <a href=\"https://news.example/story?id=1\">story</a> <a href=\"https://second.example/\">second</a></p>");

        Assert.AreEqual("https://news.example/story?id=1", CardLinks.FirstLink(status, Urls)!.AbsoluteUri);
    }

    [TestMethod]
    public void A_mentioned_accounts_profile_link_is_not_previewed_even_without_its_classes()
    {
        var status = Local("<p><a href=\"https://remote.example/@bob\">@bob</a></p>") with
        {
            Mentions = [new StatusMention("bob", "remote.example", "https://remote.example/users/bob", "https://remote.example/@bob", null)],
        };

        Assert.IsNull(CardLinks.FirstLink(status, Urls));
    }

    [TestMethod]
    public void A_remote_status_with_a_content_warning_and_a_boost_get_none()
    {
        var html = "<p><a href=\"https://news.example/\">news</a></p>";

        Assert.IsNotNull(CardLinks.FirstLink(Local(html, spoiler: "CW"), Urls), "a local one does");
        Assert.IsNull(CardLinks.FirstLink(Local(html, spoiler: "CW") with { Uri = "https://remote.example/notes/1" }, Urls));
        Assert.IsNull(CardLinks.FirstLink(Local(html) with { ReblogOfId = "110000000000000000" }, Urls));
    }

    [TestMethod]
    public void The_budget_allows_ten_pages_of_one_host_a_minute_and_more_of_others()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
        var budget = new CardFetchBudget(time);

        for (var i = 0; i < CardFetchBudget.PerHostPerMinute; i++)
        {
            Assert.IsTrue(budget.TryTake("flood.example"));
        }

        Assert.IsFalse(budget.TryTake("FLOOD.example"));
        Assert.IsTrue(budget.TryTake("other.example"));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.IsTrue(budget.TryTake("flood.example"));
    }

    [TestMethod]
    public void The_budget_bounds_the_pages_of_all_hosts_together()
    {
        var budget = new CardFetchBudget(new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero)));

        var allowed = Enumerable.Range(0, 500).Count(i => budget.TryTake($"host{i}.example"));

        Assert.AreEqual(CardFetchBudget.PerMinute, allowed);
    }
}
