using ServerlessFedi.Filters;
using ServerlessFedi.MastodonApi.Mapping;

namespace ServerlessFedi.Tests.Filters;

/// <summary><see cref="FilterMatcher"/>: Mastodon's keyword semantics, contexts, expiry and the FilterResult shape.</summary>
[TestClass]
public sealed class FilterMatcherTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static bool Whole(string keyword, string text) => FilterMatcher.Matches(new FilterKeyword("1", keyword, WholeWord: true), text);

    private static bool Part(string keyword, string text) => FilterMatcher.Matches(new FilterKeyword("1", keyword, WholeWord: false), text);

    [TestMethod]
    [DataRow("cat", "A cat sat", true)]
    [DataRow("cat", "CAT!", true)]
    [DataRow("cat", "(cat)", true)]
    [DataRow("cat", "concatenate", false)]
    [DataRow("cat", "cats", false)]
    [DataRow("cat", "my_cat", false)]
    [DataRow("bad word", "a Bad Word here", true)]
    [DataRow("bad word", "a bad wordsmith", false)]
    [DataRow("straße", "Die STRASSE", false)]
    [DataRow("Straße", "in der straße.", true)]
    [DataRow("über", "Überweisung", false)]
    [DataRow("über", "Grüße über alles", true)]
    [DataRow("#tag", "see #tag now", true)]
    [DataRow("#tag", "see x#tag now", true)]
    [DataRow("#tag", "see #tagged", false)]
    [DataRow("c++", "I like c++!", true)]
    [DataRow("c++", "I like c++x", true)]
    [DataRow("a.b", "axb", false)]
    public void Whole_word_keywords_need_word_boundaries_where_the_keyword_has_word_characters(string keyword, string text, bool expected) =>
        Assert.AreEqual(expected, Whole(keyword, text), $"{keyword} in {text}");

    [TestMethod]
    [DataRow("cat", "concatenate", true)]
    [DataRow("CAT", "Concatenate", true)]
    [DataRow("über", "ÜBERWEISUNG", true)]
    [DataRow("dog", "concatenate", false)]
    public void Other_keywords_match_anywhere_ignoring_case(string keyword, string text, bool expected) =>
        Assert.AreEqual(expected, Part(keyword, text));

    private static Filter Filter(string id, string[] context, DateTimeOffset? expires = null, FilterKeyword[]? keywords = null, FilterStatus[]? statuses = null) =>
        new() { Id = id, AccountId = "1", Title = "t" + id, Context = context, ExpiresAt = expires, Keywords = keywords ?? [], Statuses = statuses ?? [] };

    [TestMethod]
    public void Only_active_filters_of_the_context_apply_and_spoiler_text_counts()
    {
        var filters = new[]
        {
            Filter("1", ["home", "public"], keywords: [new("k1", "election", true), new("k2", "vote", false)]),
            Filter("2", ["notifications"], keywords: [new("k3", "election", true)]),
            Filter("3", ["home"], expires: Now, keywords: [new("k4", "election", true)]),
            Filter("4", ["home"], expires: Now.AddHours(1), statuses: [new("s1", "117684648624352871")]),
        };

        var matches = FilterMatcher.Match(filters, FilterContexts.Home, "117684648624352871", "Go and voter!", "Election day", Now);

        Assert.HasCount(2, matches);
        Assert.AreEqual("1", matches[0].Filter.Id);
        CollectionAssert.AreEqual(new[] { "election", "vote" }, matches[0].KeywordMatches.ToArray());
        Assert.AreEqual("4", matches[1].Filter.Id);
        CollectionAssert.AreEqual(new[] { "117684648624352871" }, matches[1].StatusMatches.ToArray());
        Assert.IsEmpty(FilterMatcher.Match(filters, FilterContexts.Thread, "1", "election", null, Now));
    }

    [TestMethod]
    public void Results_have_Mastodons_FilterResult_shape()
    {
        var filter = Filter("1", ["home"], keywords: [new("k1", "vote", true)]);

        var json = FilterMapper.ToFilterResults(FilterMatcher.Match([filter], "home", "5", "please vote", null, Now));

        Assert.AreEqual(
            """[{"filter":{"id":"1","title":"t1","context":["home"],"expires_at":null,"filter_action":"warn","keywords":[{"id":"k1","keyword":"vote","whole_word":true}],"statuses":[]},"keyword_matches":["vote"],"status_matches":null}]""",
            System.Text.Json.JsonSerializer.Serialize(json, ServerlessFedi.MastodonApi.Entities.MastodonJsonContext.Wire.IReadOnlyListFilterResult));
    }

    [TestMethod]
    public void Html_content_is_matched_as_plain_text() =>
        Assert.AreEqual("Hello &\nworld\nagain", FilterMatcher.PlainText("<p>Hello &amp;<br>world</p><p><a href=\"x\">again</a></p>"));
}
