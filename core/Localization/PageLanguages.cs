using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using ServerlessFedi.Configuration;

namespace ServerlessFedi.Localization;

/// <summary>
/// Chooses the language of a page: among the languages of <c>Fedi__Languages</c> that have texts (the first is the
/// default), the one named by <c>?lang=</c> (Mastodon's <c>lang</c> on <c>/oauth/authorize</c> too), else the best match
/// of <c>Accept-Language</c> by quality (RFC 9110 12.5.4; <c>de-AT</c> matches <c>de</c>, <c>q=0</c> excludes), else the
/// default. A language without a resource file is not offered, so a page never claims a language it is not written in.
/// </summary>
public sealed class PageLanguages
{
    // Browsers send a handful of ranges; a longer header is read only this far.
    private const int MaxRanges = 20;

    public PageLanguages(FediOptions options, InstanceUrls urls)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(urls);
        BaseUrl = urls.Base;
        var codes = options.Languages.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(code => code.ToLowerInvariant())
            .ToList();
        InstanceLanguage = codes.Count > 0 ? codes[0] : "en";
        var translated = codes.Select(Culture).OfType<CultureInfo>().Where(Texts.IsTranslated).DistinctBy(c => c.Name).ToList();
        Offered = translated.Count > 0 ? translated : [CultureInfo.GetCultureInfo("en")];
        Default = new PageLanguage(Offered[0], false, this);
    }

    /// <summary>The languages pages are offered in, the default first.</summary>
    public IReadOnlyList<CultureInfo> Offered { get; }

    public PageLanguage Default { get; }

    /// <summary>The first language of <c>Fedi__Languages</c>, the one the operator's texts are written in.</summary>
    public string InstanceLanguage { get; }

    internal string BaseUrl { get; }

    /// <summary>The language of a public page: <c>?lang=</c>, else <c>Accept-Language</c>, else the default.</summary>
    public PageLanguage For(HttpRequest? request) =>
        request is null ? Default : Choose(request.Query[PageLanguage.QueryParameter].ToString(), request.Headers.AcceptLanguage);

    /// <summary>The language for an explicit request (<paramref name="requested"/>, may be null) and an <c>Accept-Language</c> header.</summary>
    public PageLanguage Choose(string? requested, StringValues acceptLanguage)
    {
        if (Match(requested) is { } chosen)
        {
            return new PageLanguage(chosen, true, this);
        }

        if (StringWithQualityHeaderValue.TryParseList(acceptLanguage, out var ranges))
        {
            // OrderByDescending is stable: equal qualities keep the header's order.
            foreach (var range in ranges.Take(MaxRanges).Where(r => r.Quality is not <= 0).OrderByDescending(r => r.Quality ?? 1))
            {
                var tag = range.Value.Value ?? "";
                if (tag == "*")
                {
                    break;
                }

                if (Match(tag) is { } match)
                {
                    return new PageLanguage(match, false, this);
                }
            }
        }

        return Default;
    }

    private static CultureInfo? Culture(string code)
    {
        try
        {
            return CultureInfo.GetCultureInfo(code);
        }
        catch (CultureNotFoundException)
        {
            // A code ICU does not know has no texts either.
            return null;
        }
    }

    /// <summary>The offered language a tag names by its primary subtag (<c>de</c>, <c>de-DE</c>, <c>DE</c>), or null.</summary>
    private CultureInfo? Match(string? tag)
    {
        if (string.IsNullOrEmpty(tag))
        {
            return null;
        }

        var dash = tag.IndexOf('-', StringComparison.Ordinal);
        var primary = dash < 0 ? tag : tag[..dash];
        return Offered.FirstOrDefault(c => string.Equals(c.Name, primary, StringComparison.OrdinalIgnoreCase));
    }
}
