using ServerlessFedi.Content;
using static ServerlessFedi.Tests.Content.ContentFixture;

namespace ServerlessFedi.Tests.Content;

/// <summary>Mentions as Mastodon's Account::MENTION_RE finds them and TextFormatter#link_to_mention writes them.</summary>
[TestClass]
public sealed class MentionTests
{
    [TestMethod]
    public void A_local_mention_links_to_the_profile_in_an_h_card()
    {
        var formatted = Format("@alice hello");

        Assert.AreEqual(
            $"<p><span class=\"h-card\" translate=\"no\"><a href=\"{Base}/@alice\" class=\"u-url mention\">@<span>alice</span></a></span> hello</p>",
            formatted.Html);
        CollectionAssert.AreEqual(new[] { Alice }, formatted.Mentions.ToArray());
    }

    [TestMethod]
    [DataRow("@alice@example.gov")]
    [DataRow("@alice@social.example.gov")]
    [DataRow("@ALICE@Example.GOV")]
    public void A_mention_with_the_instance_domain_is_local(string text)
    {
        string? askedDomain = "unset";
        var formatted = new StatusFormatter(Urls).Format(text, (username, domain) =>
        {
            askedDomain = domain;
            return Resolve(username, domain);
        });

        Assert.IsNull(askedDomain);
        Assert.AreEqual($"<p><span class=\"h-card\" translate=\"no\"><a href=\"{Base}/@alice\" class=\"u-url mention\">@<span>alice</span></a></span></p>", formatted.Html);
    }

    [TestMethod]
    public void A_remote_mention_shows_only_the_username()
    {
        var formatted = Format("Hi @bob@remote.example!");

        Assert.AreEqual(
            "<p>Hi <span class=\"h-card\" translate=\"no\"><a href=\"https://remote.example/@bob\" class=\"u-url mention\">@<span>bob</span></a></span>!</p>",
            formatted.Html);
        CollectionAssert.AreEqual(new[] { RemoteBob }, formatted.Mentions.ToArray());
    }

    [TestMethod]
    public void The_link_text_is_the_username_of_the_account_found()
    {
        StringAssert.Contains(Html("@carol@REMOTE.example"), "@<span>Carol</span>");
    }

    [TestMethod]
    [DataRow("@nobody")]
    [DataRow("@nobody@remote.example")]
    [DataRow("@alice@elsewhere.example")]
    public void An_unknown_account_stays_plain_text(string text)
    {
        var formatted = Format(text);

        Assert.AreEqual($"<p>{text}</p>", formatted.Html);
        Assert.IsEmpty(formatted.Mentions);
    }

    [TestMethod]
    public void The_same_username_on_two_servers_shows_the_remote_domain()
    {
        var formatted = Format("@bob and @bob@remote.example");

        Assert.AreEqual(
            $"<p><span class=\"h-card\" translate=\"no\"><a href=\"{Base}/@bob\" class=\"u-url mention\">@<span>bob</span></a></span> and "
            + "<span class=\"h-card\" translate=\"no\"><a href=\"https://remote.example/@bob\" class=\"u-url mention\">@<span>bob@remote.example</span></a></span></p>",
            formatted.Html);
        CollectionAssert.AreEqual(new[] { LocalBob, RemoteBob }, formatted.Mentions.ToArray());
    }

    [TestMethod]
    public void Each_account_is_resolved_once_and_listed_once()
    {
        var calls = 0;
        var formatted = new StatusFormatter(Urls).Format("@alice @Alice @alice@example.gov @bob@remote.example @BOB@remote.example", (username, domain) =>
        {
            calls++;
            return Resolve(username, domain);
        });

        Assert.AreEqual(2, calls);
        CollectionAssert.AreEqual(new[] { Alice, RemoteBob }, formatted.Mentions.ToArray());
        Assert.AreEqual(5, ContentFixture.ParseBody(formatted.Html).QuerySelectorAll("a.mention").Length);
    }

    [TestMethod]
    [DataRow("@alice.", "alice", null, ".")]
    [DataRow("@alice, hi", "alice", null, ", hi")]
    [DataRow("@bob@remote.example.", "bob", "remote.example", ".")]
    [DataRow("@bob@remote.example: hi", "bob", "remote.example", ": hi")]
    [DataRow("(@alice)", "alice", null, ")")]
    [DataRow("@alice's post", "alice", null, "&#39;s post")]
    [DataRow("@alice日本", "alice", null, "日本")]
    public void The_mention_stops_where_mastodon_stops_it(string text, string username, string? domain, string after)
    {
        (string, string?)? asked = null;
        var html = new StatusFormatter(Urls).Format(text, (u, d) =>
        {
            asked = (u, d);
            return Resolve(u, d);
        }).Html;

        Assert.AreEqual((username, domain), asked);
        StringAssert.EndsWith(html, $"</a></span>{after}</p>");
    }

    [TestMethod]
    [DataRow("alice@example.gov")]
    [DataRow("mail me: bob@remote.example")]
    [DataRow("https://remote.example/@bob")]
    [DataRow("a=@alice")]
    [DataRow("@alice@")]
    [DataRow("@alice://x")]
    [DataRow("@aliceé")]
    [DataRow("@.alice")]
    [DataRow("@")]
    public void Text_that_is_not_a_mention_does_not_ask_the_resolver(string text)
    {
        var asked = new List<(string, string?)>();
        var formatted = new StatusFormatter(Urls).Format(text, (u, d) =>
        {
            asked.Add((u, d));
            return Resolve(u, d);
        });

        Assert.IsEmpty(asked.Where(a => a.Item1 == "alice" || a.Item1 == "bob"));
        Assert.IsEmpty(formatted.Mentions);
    }
}
