using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// Origins are compared by <see cref="Uri"/> (scheme, host, port), never by editing strings: the class of Mastodon
/// CVE-2023-42451, where a domain normalisation that removed every <c>/</c> let one domain pass for another. Spellings that
/// differ (a trailing dot, Unicode against punycode) are different origins: a document is refused rather than trusted.
/// </summary>
[TestClass]
public sealed class OriginComparisonTests
{
    [TestMethod]
    [DataRow("https://social.example/users/a", "https://SOCIAL.example/b", true)]
    [DataRow("https://social.example/users/a", "https://social.example:443/b", true)]
    [DataRow("https://social.example/users/a", "http://social.example/b", false)]
    [DataRow("https://social.example/users/a", "https://social.example:8443/b", false)]
    [DataRow("https://social.example/users/a", "https://social.example./b", false)]
    [DataRow("https://social.example/users/a", "https://social.example.evil.example/b", false)]
    [DataRow("https://social.example/users/a", "https://evil.example/social.example/b", false)]
    [DataRow("https://social.example/users/a", "https://social.example@evil.example/b", false)]
    [DataRow("https://social.example/users/a", "https://so/cial.example/b", false)]
    [DataRow("https://bücher.example/users/a", "https://xn--bcher-kva.example/b", false)]
    public void Same_origin_means_same_scheme_host_and_port(string a, string b, bool same)
    {
        Assert.AreEqual(same, ActorDocumentParser.SameOrigin(new Uri(a), new Uri(b)));
    }

    [TestMethod]
    [DataRow("https://social.example./users/ann")]
    [DataRow("https://social.example.evil.example/users/ann")]
    [DataRow("https://social.exampl/users/ann")]
    public void An_actor_claiming_a_look_alike_of_the_host_it_came_from_is_refused(string claimedId)
    {
        var doc = new JsonObject
        {
            ["id"] = claimedId,
            ["type"] = "Person",
            ["preferredUsername"] = "ann",
            ["inbox"] = claimedId + "/inbox",
        };
        using var json = JsonDocument.Parse(doc.ToJsonString());

        var (actor, error) = ActorDocumentParser.Parse(json.RootElement.Clone(), new Uri("https://social.example/users/ann"), DateTimeOffset.UnixEpoch);

        Assert.IsNull(actor);
        StringAssert.Contains(error, "not on the host it was fetched from");
    }
}
