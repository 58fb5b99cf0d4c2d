using ServerlessFedi.Configuration;
using ServerlessFedi.Localization;

namespace ServerlessFedi.Tests.Localization;

/// <summary>Which language a page is rendered in, from <c>Fedi__Languages</c>, <c>?lang=</c> and <c>Accept-Language</c>.</summary>
[TestClass]
public sealed class PageLanguagesTests
{
    private const string Base = "https://social.example.gov";

    private static PageLanguages Languages(string configured)
    {
        var options = new FediOptions { BaseUrl = Base, Languages = configured };
        return new PageLanguages(options, new InstanceUrls(options));
    }

    [TestMethod]
    [DataRow("de,en", "de")]
    [DataRow("en,de", "en")]
    [DataRow("en", "en")]
    public void Without_a_preference_the_first_configured_language_is_used(string configured, string expected)
    {
        var language = Languages(configured).Choose(null, default);

        Assert.AreEqual(expected, language.Code);
        Assert.IsFalse(language.ChosenByLink);
    }

    [TestMethod]
    [DataRow("fr;q=1, en;q=0.5, de;q=0.8", "de")]
    [DataRow("de-AT,de;q=0.9,en;q=0.8", "de")]
    [DataRow("en-GB, en;q=0.9", "en")]
    [DataRow("DE", "de")]
    [DataRow("de;q=0, en;q=0.1", "en")]
    [DataRow("fr, it;q=0.9", "en")]
    [DataRow("*, de;q=0.5", "en")]
    [DataRow("*;q=0.1, de;q=0.5", "de")]
    [DataRow("", "en")]
    [DataRow("@@@, ;q=x, de;q=abc", "en")]
    public void Accept_Language_picks_the_offered_language_of_highest_quality(string header, string expected)
    {
        var language = Languages("en,de").Choose(null, header);

        Assert.AreEqual(expected, language.Code);
        Assert.IsTrue(language.VariesByAcceptLanguage);
    }

    [TestMethod]
    public void The_lang_parameter_wins_over_the_header_and_our_links_keep_it()
    {
        var language = Languages("en,de").Choose("de", "en");

        Assert.AreEqual("de", language.Code);
        Assert.IsTrue(language.ChosenByLink);
        Assert.IsFalse(language.VariesByAcceptLanguage);
        Assert.AreEqual($"{Base}/@alice?lang=de", language.Link($"{Base}/@alice"));
        Assert.AreEqual($"{Base}/@alice?max_id=1&lang=de", language.Link($"{Base}/@alice?max_id=1"));
        Assert.AreEqual("https://www.example.gov/privacy", language.Link("https://www.example.gov/privacy"));
        Assert.AreEqual($"{Base}/@alice", Languages("en,de").Choose(null, "de").Link($"{Base}/@alice"));
    }

    [TestMethod]
    [DataRow("xx")]
    [DataRow("fr")]
    [DataRow("<script>")]
    public void An_unknown_lang_parameter_is_ignored(string requested)
    {
        var language = Languages("en,de").Choose(requested, default);

        Assert.AreEqual("en", language.Code);
        Assert.IsFalse(language.ChosenByLink);
    }

    [TestMethod]
    public void A_configured_language_without_texts_is_not_offered_but_names_the_operators_texts()
    {
        var languages = Languages("fr,de,en");

        CollectionAssert.AreEqual(new[] { "de", "en" }, languages.Offered.Select(c => c.Name).ToArray());
        Assert.AreEqual("de", languages.Default.Code);
        Assert.AreEqual("fr", languages.InstanceLanguage);
        Assert.AreEqual("fr", languages.Default.OperatorTextLanguage);
        Assert.AreEqual("de", languages.Choose("fr", "fr").Code);
        Assert.IsNull(Languages("de,en").Default.OperatorTextLanguage);
        Assert.AreEqual("dsb", Languages("dsb,qqq,en").InstanceLanguage);
        CollectionAssert.AreEqual(new[] { "en" }, Languages("dsb,qqq,en").Offered.Select(c => c.Name).ToArray());
    }

    [TestMethod]
    public void One_offered_language_does_not_vary_by_Accept_Language()
    {
        Assert.IsFalse(Languages("en").Choose(null, "de").VariesByAcceptLanguage);
        Assert.IsFalse(Languages("de,fr").Choose(null, "en").VariesByAcceptLanguage);
    }

    [TestMethod]
    [DataRow($"{Base}/@alice", $"{Base}/@alice?lang=de")]
    [DataRow($"{Base}/@alice?lang=en&max_id=3", $"{Base}/@alice?max_id=3&lang=de")]
    [DataRow($"{Base}/?after=b&lang", $"{Base}/?after=b&lang=de")]
    public void The_language_switch_replaces_lang_and_keeps_the_rest(string url, string expected)
    {
        Assert.AreEqual(expected, PageLanguage.WithLanguage(url, "de"));
    }

    [TestMethod]
    public void Languages_are_named_in_their_own_language()
    {
        Assert.AreEqual("Deutsch", PageLanguage.NativeName(System.Globalization.CultureInfo.GetCultureInfo("de")));
        Assert.AreEqual("English", PageLanguage.NativeName(System.Globalization.CultureInfo.GetCultureInfo("en")));
        Assert.AreEqual("Français", PageLanguage.NativeName(System.Globalization.CultureInfo.GetCultureInfo("fr")));
    }
}
