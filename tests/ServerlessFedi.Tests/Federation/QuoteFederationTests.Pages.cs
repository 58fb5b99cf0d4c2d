using System.Net;
using AngleSharp.Html.Parser;

namespace ServerlessFedi.Tests.Federation;

/// <summary>The public page of an agency's quote of a remote post embeds it once its author approved, and nothing of it comes from the remote server.</summary>
public sealed partial class QuoteFederationTests
{
    [TestMethod]
    public async Task The_page_of_an_accepted_quote_of_a_remote_post_embeds_it_until_it_is_revoked()
    {
        var (alice, token) = await AccountAsync("pagequoter");
        var author = Peer.AddActor("pagequoted" + Next());
        var (quoteId, authorizationUri) = await AcceptedQuoteOfRemoteAsync(alice, token, author);

        var response = await Instance.Http.GetAsync($"/@{alice.Username}/{quoteId}");
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var figure = new HtmlParser().ParseDocument(html).QuerySelector("article.h-entry figure.post-quote")!;
        Assert.IsNotNull(figure, html);
        Assert.AreEqual("Remote words.", figure.QuerySelector("blockquote .e-content")!.TextContent.Trim());
        var actorUri = new Uri(author.Id);
        Assert.AreEqual($"@{actorUri.Segments[^1]}@{actorUri.Authority}", figure.QuerySelector(".handle")!.TextContent);
        Assert.AreEqual(author.Id.Replace("/users/", "/@", StringComparison.Ordinal), figure.QuerySelector("a.p-author")!.GetAttribute("href"), "the actor's profile page");
        Assert.DoesNotContain("src=\"" + Peer.BaseUrl, html, "nothing is loaded from the quoted post's server");

        await PostSignedAsync("/inbox", Activity(author, "Delete", authorizationUri), author);
        await Eventually.TrueAsync(async () => !(await Instance.Http.GetStringAsync($"/@{alice.Username}/{quoteId}")).Contains("post-quote", StringComparison.Ordinal), "the revoked quote no longer embedded");
    }
}
