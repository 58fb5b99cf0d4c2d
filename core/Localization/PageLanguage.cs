using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Components;

namespace ServerlessFedi.Localization;

/// <summary>
/// The language one page is rendered in: its texts, numbers, dates and plural forms, and the links that keep the reader's
/// explicit choice (<c>?lang=</c>) from page to page without a cookie. Chosen by <see cref="PageLanguages"/>.
/// </summary>
public sealed class PageLanguage(CultureInfo culture, bool chosenByLink, PageLanguages languages)
{
    public const string QueryParameter = "lang";

    /// <summary>The ISO 639-1 code, as written in <c>lang</c> attributes and <c>?lang=</c>.</summary>
    public string Code => culture.Name;

    public CultureInfo Culture => culture;

    /// <summary>True when the reader chose the language with <c>?lang=</c>: the page's own links carry it on.</summary>
    public bool ChosenByLink => chosenByLink;

    /// <summary>The languages the pages offer, the default first.</summary>
    public IReadOnlyList<CultureInfo> Offered => languages.Offered;

    /// <summary>Whether the same URL answers differently per <c>Accept-Language</c> (RFC 9110 12.5.5: then <c>Vary</c> says so).</summary>
    public bool VariesByAcceptLanguage => !chosenByLink && languages.Offered.Count > 1;

    /// <summary>
    /// The <c>lang</c> of the operator's texts (description, imprint, privacy policy: written in the first language of
    /// <c>Fedi__Languages</c>) on this page, or null when that is the page's language anyway.
    /// </summary>
    public string? OperatorTextLanguage => languages.InstanceLanguage == Code ? null : languages.InstanceLanguage;

    public string this[string key] => Texts.Get(key, culture);

    /// <summary>The text with <c>{0}</c>, <c>{1}</c>, ... replaced by <paramref name="args"/>.</summary>
    public string Format(string key, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var text = new StringBuilder();
        foreach (var (literal, argument) in Texts.Segments(this[key]))
        {
            text.Append(argument < 0 ? literal : argument < args.Length ? args[argument] : "");
        }

        return text.ToString();
    }

    /// <summary>The plural form of <c>{key}.{category}</c> for <paramref name="count"/>, with <c>{0}</c> the formatted number.</summary>
    public string Count(string key, long count)
    {
        var form = $"{key}.{Texts.PluralCategory(culture, count)}";
        return Format(Texts.Find(form, culture) is null ? $"{key}.other" : form, Number(count));
    }

    /// <summary>A whole number with the language's digit grouping (1,234 / 1.234).</summary>
    public string Number(long value) => value.ToString("N0", culture);

    /// <summary>A point in time as pages show it, in UTC, in the pattern the translation gives (<c>Format.DateTime</c>).</summary>
    public string DateTime(DateTimeOffset value) => value.UtcDateTime.ToString(this["Format.DateTime"], culture);

    /// <summary>A language's own name, capitalised as a menu entry ("Deutsch", "English", "Français").</summary>
    public static string NativeName(CultureInfo language)
    {
        ArgumentNullException.ThrowIfNull(language);
        var name = language.NativeName;
        return name.Length == 0 ? language.Name : language.TextInfo.ToUpper(name[0]) + name[1..];
    }

    /// <summary>One of our page URLs, carrying <c>?lang=</c> when the reader chose it; other sites' URLs unchanged.</summary>
    public string Link(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return chosenByLink && url.StartsWith(languages.BaseUrl + "/", StringComparison.Ordinal) ? WithLanguage(url, Code) : url;
    }

    /// <summary><paramref name="url"/> with its <c>lang</c> query parameter set to <paramref name="code"/> (the language switch).</summary>
    public static string WithLanguage(string url, string code)
    {
        ArgumentNullException.ThrowIfNull(url);
        var query = url.IndexOf('?', StringComparison.Ordinal);
        var kept = query < 0
            ? []
            : url[(query + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.StartsWith(QueryParameter + "=", StringComparison.Ordinal) && p != QueryParameter);
        var path = query < 0 ? url : url[..query];
        return $"{path}?{string.Join('&', kept.Append($"{QueryParameter}={Uri.EscapeDataString(code)}"))}";
    }

    /// <summary>
    /// A sentence whose placeholders are markup (links, code): the text is escaped by the renderer, each <c>{n}</c> is
    /// <paramref name="parts"/>[n].
    /// </summary>
    public RenderFragment Compose(string key, params RenderFragment[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var segments = Texts.Segments(this[key]).ToList();
        return builder =>
        {
            foreach (var (literal, argument) in segments)
            {
                if (argument < 0)
                {
                    builder.AddContent(0, literal);
                }
                else if (argument < parts.Length)
                {
                    builder.AddContent(1, parts[argument]);
                }
            }
        };
    }

    /// <summary>As <see cref="Compose"/> for pages written without Razor: the text is HTML-encoded, the parts are HTML already.</summary>
    public string ComposeHtml(string key, params string[] htmlParts)
    {
        ArgumentNullException.ThrowIfNull(htmlParts);
        var html = new StringBuilder();
        foreach (var (literal, argument) in Texts.Segments(this[key]))
        {
            html.Append(argument < 0 ? HtmlEncoder.Default.Encode(literal) : argument < htmlParts.Length ? htmlParts[argument] : "");
        }

        return html.ToString();
    }
}
