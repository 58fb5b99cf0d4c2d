using System.Globalization;
using System.Resources;

namespace ServerlessFedi.Localization;

/// <summary>
/// The texts of the public pages and the login page: <c>Resources/Texts.resx</c> (English, the neutral language) and one
/// <c>Texts.{code}.resx</c> per translation, compiled into satellite assemblies and read through <see cref="ResourceManager"/>,
/// which falls back to English for a key a translation lacks. Placeholders are <c>{0}</c>, <c>{1}</c>, ...; nothing else
/// in a text is special, so a stray brace in a translation cannot break a page.
/// </summary>
public static class Texts
{
    public static ResourceManager ResourceManager { get; } = new("ServerlessFedi.Localization.Resources.Texts", typeof(Texts).Assembly);

    /// <summary>The text in <paramref name="culture"/> or, when that translation lacks it, in English; a key in no resource is a bug.</summary>
    public static string Get(string key, CultureInfo culture) =>
        Find(key, culture) ?? throw new KeyNotFoundException($"No text '{key}' in Localization/Resources/Texts.resx.");

    /// <summary>Whether a resource file exists for the language (English always: it is the neutral resource).</summary>
    public static bool IsTranslated(CultureInfo culture) =>
        ResourceManager.GetResourceSet(culture, createIfNotExists: true, tryParents: false) is not null;

    /// <summary>
    /// The CLDR plural category (<c>one</c>, <c>few</c>, <c>many</c>, <c>other</c>) of a whole number in a language
    /// (unicode.org/cldr/charts/latest/supplemental/language_plural_rules.html). Languages not listed use English's rule.
    /// </summary>
    public static string PluralCategory(CultureInfo culture, long count)
    {
        ArgumentNullException.ThrowIfNull(culture);
        var n = Math.Abs(count);
        long mod10 = n % 10, mod100 = n % 100;
        var fewEnding = mod10 is >= 2 and <= 4 && mod100 is < 12 or > 14;
        return culture.TwoLetterISOLanguageName switch
        {
            "ja" or "zh" or "ko" or "vi" or "th" or "id" or "ms" => "other",
            "fr" or "pt" => n <= 1 ? "one" : "other",
            "ru" or "uk" or "be" => mod10 == 1 && mod100 != 11 ? "one" : fewEnding ? "few" : "many",
            "pl" => n == 1 ? "one" : fewEnding ? "few" : "many",
            "cs" or "sk" => n == 1 ? "one" : n is >= 2 and <= 4 ? "few" : "other",
            _ => n == 1 ? "one" : "other",
        };
    }

    /// <summary>
    /// A text cut at its placeholders: literal parts with <c>Argument</c> -1, and each <c>{n}</c> as <c>Argument</c> n.
    /// </summary>
    public static IEnumerable<(string Literal, int Argument)> Segments(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '{' && i + 2 < text.Length && char.IsAsciiDigit(text[i + 1]) && text[i + 2] == '}')
            {
                if (i > start)
                {
                    yield return (text[start..i], -1);
                }

                yield return ("", text[i + 1] - '0');
                start = i + 3;
                i += 2;
            }
        }

        if (start < text.Length)
        {
            yield return (text[start..], -1);
        }
    }

    internal static string? Find(string key, CultureInfo culture) => ResourceManager.GetString(key, culture);
}
