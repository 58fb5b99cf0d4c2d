using System.Net.Http.Headers;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Statuses;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Web;

/// <summary>Posting through the real status service and parsing pages, for the public web tests.</summary>
internal static class WebFixture
{
    public static async Task<Status> PostAsync(TestInstance instance, LocalAccount author, string text, Visibility visibility = Visibility.Public,
        string? inReplyToId = null, string? spoiler = null, string? language = "en")
    {
        var result = await instance.Services.GetRequiredService<StatusService>()
            .CreateAsync(author, new NewStatus(text, visibility, spoiler, Language: language, InReplyToId: inReplyToId), CancellationToken.None);
        Assert.IsNotNull(result.Status, result.Message);
        return result.Status;
    }

    public static async Task<(HttpResponseMessage Response, IHtmlDocument Document)> GetPageAsync(TestInstance instance, string path, string? acceptLanguage = null, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(ifNoneMatch));
        }

        var response = await instance.Http.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        return (response, new HtmlParser().ParseDocument(html));
    }
}
