using System.Collections;
using System.Globalization;
using System.Resources;
using ServerlessFedi.Configuration;
using ServerlessFedi.Localization;
using ServerlessFedi.OAuth;

namespace ServerlessFedi.Tests.Localization;

/// <summary>The texts as the build ships them (the neutral resource and the satellite assemblies), and how they are formatted.</summary>
[TestClass]
public sealed class TextsTests
{
    private static readonly string[] PluralSuffixes = [".zero", ".one", ".two", ".few", ".many", ".other"];

    /// <summary>Every translation the build ships: the satellite assemblies beside ServerlessFedi.Core.dll.</summary>
    private static List<CultureInfo> Translations() =>
        Directory.GetDirectories(Path.GetDirectoryName(typeof(Texts).Assembly.Location)!)
            .Where(dir => File.Exists(Path.Combine(dir, "ServerlessFedi.Core.resources.dll")))
            .Select(dir => CultureInfo.GetCultureInfo(Path.GetFileName(dir)))
            .ToList();

    private static Dictionary<string, string> Entries(CultureInfo culture)
    {
        var set = Texts.ResourceManager.GetResourceSet(culture, createIfNotExists: true, tryParents: false);
        Assert.IsNotNull(set, culture.Name);
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);
    }

    private static SortedSet<int> Placeholders(string text) => new(Texts.Segments(text).Where(s => s.Argument >= 0).Select(s => s.Argument));

    [TestMethod]
    public void German_ships_as_a_translation_and_English_is_the_neutral_language()
    {
        CollectionAssert.Contains(Translations().Select(c => c.Name).ToList(), "de");
        Assert.IsTrue(Texts.IsTranslated(CultureInfo.GetCultureInfo("en")));
        Assert.IsFalse(Texts.IsTranslated(CultureInfo.GetCultureInfo("fr")));
    }

    [TestMethod]
    public void Every_English_text_exists_in_every_translation_with_the_same_placeholders()
    {
        var neutral = Entries(CultureInfo.InvariantCulture);
        Assert.IsGreaterThan(50, neutral.Count);
        foreach (var culture in Translations())
        {
            var translated = Entries(culture);
            foreach (var (key, english) in neutral)
            {
                Assert.IsTrue(translated.TryGetValue(key, out var text) && !string.IsNullOrWhiteSpace(text), $"Texts.{culture.Name}.resx lacks '{key}'");
                CollectionAssert.AreEqual(Placeholders(english).ToList(), Placeholders(text).ToList(), $"placeholders of '{key}' in Texts.{culture.Name}.resx");
            }

            // A translation may add plural forms English does not have (few, many), nothing else.
            var extra = translated.Keys.Where(k => !neutral.ContainsKey(k)
                && !PluralSuffixes.Any(suffix => k.EndsWith(suffix, StringComparison.Ordinal) && neutral.ContainsKey(k[..^suffix.Length] + ".other")));
            Assert.IsEmpty(extra, $"Texts.{culture.Name}.resx has keys English does not: {string.Join(", ", extra)}");
        }
    }

    [TestMethod]
    public void Every_authorization_page_error_has_a_title_and_a_message()
    {
        foreach (var error in Enum.GetValues<OAuthPageError>())
        {
            Assert.IsNotNull(Texts.Find($"OAuthError.{error}.Title", CultureInfo.InvariantCulture), error.ToString());
            Assert.IsNotNull(Texts.Find($"OAuthError.{error}.Message", CultureInfo.InvariantCulture), error.ToString());
        }
    }

    [TestMethod]
    public void A_language_without_a_translation_reads_English_and_an_unknown_key_is_an_error()
    {
        Assert.AreEqual("Home", Texts.Get("Front.Title", CultureInfo.GetCultureInfo("fr")));
        Assert.AreEqual("Startseite", Texts.Get("Front.Title", CultureInfo.GetCultureInfo("de-AT")));
        Assert.ThrowsExactly<KeyNotFoundException>(() => Texts.Get("No.Such.Text", CultureInfo.InvariantCulture));
    }

    [TestMethod]
    [DataRow("de", 1234L, "1.234")]
    [DataRow("en", 1234L, "1,234")]
    [DataRow("de", 1234567L, "1.234.567")]
    [DataRow("en", 7L, "7")]
    public void Numbers_are_grouped_as_the_language_writes_them(string code, long value, string expected)
    {
        Assert.AreEqual(expected, Language(code).Number(value));
    }

    [TestMethod]
    [DataRow("de", "6. Dezember 2026, 14:30 UTC")]
    [DataRow("en", "6 December 2026, 14:30 UTC")]
    public void Dates_are_written_in_the_language(string code, string expected)
    {
        Assert.AreEqual(expected, Language(code).DateTime(new DateTimeOffset(2026, 12, 6, 15, 30, 0, TimeSpan.FromHours(1))));
    }

    [TestMethod]
    [DataRow("de", 0L, "0 Beiträge")]
    [DataRow("de", 1L, "1 Beitrag")]
    [DataRow("de", 1234L, "1.234 Beiträge")]
    [DataRow("en", 0L, "0 posts")]
    [DataRow("en", 1L, "1 post")]
    [DataRow("en", 1234L, "1,234 posts")]
    public void Counts_take_the_languages_plural_form(string code, long count, string expected)
    {
        Assert.AreEqual(expected, Language(code).Count("Front.Posts", count));
    }

    [TestMethod]
    [DataRow("en", 1L, "one")]
    [DataRow("en", 0L, "other")]
    [DataRow("de", 2L, "other")]
    [DataRow("fr", 0L, "one")]
    [DataRow("fr", 2L, "other")]
    [DataRow("ru", 21L, "one")]
    [DataRow("ru", 11L, "many")]
    [DataRow("ru", 23L, "few")]
    [DataRow("ru", 25L, "many")]
    [DataRow("pl", 1L, "one")]
    [DataRow("pl", 22L, "few")]
    [DataRow("pl", 12L, "many")]
    [DataRow("cs", 3L, "few")]
    [DataRow("ja", 1L, "other")]
    public void Plural_categories_follow_CLDR(string code, long count, string expected)
    {
        Assert.AreEqual(expected, Texts.PluralCategory(CultureInfo.GetCultureInfo(code), count));
    }

    [TestMethod]
    public void Only_a_digit_in_braces_is_a_placeholder()
    {
        var segments = Texts.Segments("a {0} {x} {12} {").ToList();

        CollectionAssert.AreEqual(
            new[] { ("a ", -1), ("", 0), (" {x} {12} {", -1) },
            segments);
    }

    private static PageLanguage Language(string code)
    {
        var options = new FediOptions { BaseUrl = "https://social.example.gov", Languages = "en,de" };
        return new PageLanguages(options, new InstanceUrls(options)).Choose(code, default);
    }
}
