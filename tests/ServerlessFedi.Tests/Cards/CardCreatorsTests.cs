using ServerlessFedi.Cards;

namespace ServerlessFedi.Tests.Cards;

/// <summary>The rules of <see cref="CardCreators"/> that need no storage: which handles and attribution domains are read, and which hosts a domain covers.</summary>
[TestClass]
public sealed class CardCreatorsTests
{
    [TestMethod]
    [DataRow("news.example.org", true)]
    [DataRow("example.org", true)]
    [DataRow("EXAMPLE.org.", true)]
    [DataRow("badexample.org", false, DisplayName = "a name that merely ends the same")]
    [DataRow("example.org.evil.test", false)]
    [DataRow("org", false)]
    [DataRow("", false)]
    public void A_page_host_is_covered_by_an_attribution_domain_or_a_parent_of_it(string host, bool credited)
    {
        Assert.AreEqual(credited, CardCreators.MayCredit(["example.org", "press.example.net"], host));
    }

    [TestMethod]
    [DataRow("@alice@social.example", "alice@social.example")]
    [DataRow("alice@social.example", "alice@social.example")]
    [DataRow(" @bob@127.0.0.1:8080 ", "bob@127.0.0.1:8080")]
    [DataRow("alice", null)]
    [DataRow("@alice@", null)]
    [DataRow("a@b@c", null)]
    [DataRow("https://social.example/@alice", null)]
    [DataRow("<script>@x.y", null)]
    public void The_creator_meta_tag_gives_a_handle_or_nothing(string value, string? handle)
    {
        Assert.AreEqual(handle, CardCreators.Handle(value));
    }

    [TestMethod]
    [DataRow("Example.ORG", "example.org")]
    [DataRow("https://news.example.org/", null)]
    [DataRow("https://news.example.org", "news.example.org")]
    [DataRow("*.example.org", "example.org")]
    [DataRow("exa mple.org", null)]
    [DataRow("10.0.0.1", null)]
    [DataRow("", null)]
    public void Attribution_domains_are_stored_as_plain_host_names(string value, string? domain)
    {
        Assert.AreEqual(domain, CardCreators.Domain(value));
    }
}
