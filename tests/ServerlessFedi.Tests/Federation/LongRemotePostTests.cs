using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessFedi.Federation;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.MastodonApi;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// No inbound activity is refused for its size below the inbox's limit (issue 17 item 4): a queue message holds 48 KiB of
/// JSON in which every non-ASCII character is escaped to six bytes, and a table property holds 32,768 characters, yet a
/// long post from another server is accepted, stored and shown whole, as Mastodon and GoToSocial show it. The table
/// clients refuse what Azure refuses even on Azurite (<see cref="ServerlessFedi.Storage.TableLimitsPolicy"/>).
/// </summary>
[TestClass]
public sealed class LongRemotePostTests : FederationTest<LongRemotePostTests>
{
    private const string GermanParagraph = "<p>Sehr geehrte Bürgerinnen und Bürger, wegen Überflutung ist die Straße „Am Mühlbach“ gesperrt; Umleitung über die Brücke. 🚧</p>";

    [TestMethod]
    public async Task A_60_KB_Create_with_non_ASCII_text_is_accepted_stored_and_shown_in_full()
    {
        var content = Repeat(GermanParagraph, 60_000 / GermanParagraph.Length) + "<p>Ende der Meldung.</p>";
        var (activity, author, token) = await MentioningCreateAsync("longreader", content);
        Assert.IsGreaterThan(60_000, Encoding.UTF8.GetByteCount(activity.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })));

        var status = await DeliverAndReadAsync(activity, author, token);

        Assert.AreEqual(content, status);
    }

    [TestMethod]
    public async Task A_31_KB_German_Create_whose_queue_message_would_be_67_KB_is_accepted_and_shown()
    {
        var content = Repeat("<p>Straßensperrung: Grüße über Übergänge für Bürgerinnen und Bürger äöü ÄÖÜ ß.</p>", 320);
        var (activity, author, token) = await MentioningCreateAsync("germanreader", content);
        var json = activity.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.IsLessThanOrEqualTo(PayloadStore.InlineLimitBytes, Encoding.UTF8.GetByteCount(json), "small enough to have been kept inline by its raw size");
        Assert.IsGreaterThan(48 * 1024, PayloadStore.EncodedLength(json), "too large for a queue message once escaped");

        var status = await DeliverAndReadAsync(activity, author, token);

        Assert.AreEqual(content, status);
    }

    /// <summary>A public Create by a new peer actor mentioning a new local account, and that account's token.</summary>
    private static async Task<(JsonObject Activity, PeerActor Author, string Token)> MentioningCreateAsync(string reader, string content)
    {
        var (account, token) = await Api.AccountAsync(reader + ApiTestClient.Next());
        var author = Peer.AddActor("longauthor" + ApiTestClient.Next());
        var readerUri = $"{Instance.BaseUrl}/users/{account.Username}";
        var note = new JsonObject
        {
            ["id"] = $"{author.Id}/statuses/{ApiTestClient.Next()}",
            ["type"] = "Note",
            ["attributedTo"] = author.Id,
            ["to"] = new JsonArray(Public),
            ["cc"] = new JsonArray(readerUri),
            ["content"] = content,
            ["tag"] = new JsonArray(new JsonObject { ["type"] = "Mention", ["href"] = readerUri }),
        };
        var activity = new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = $"{author.Id}#create/{ApiTestClient.Next()}",
            ["type"] = "Create",
            ["actor"] = author.Id,
            ["to"] = new JsonArray(Public),
            ["object"] = note,
        };
        return (activity, author, token);
    }

    /// <summary>Posts <paramref name="activity"/> to the shared inbox and returns the mentioned status's content from the API.</summary>
    private static async Task<string?> DeliverAndReadAsync(JsonObject activity, PeerActor author, string token)
    {
        Assert.AreEqual(HttpStatusCode.Accepted, (await Api.PostSignedAsync("/inbox", activity, author, rawUtf8: true)).StatusCode);
        var mention = await Eventually.ValueAsync(() => Api.GetAsync("/api/v1/notifications", token), n => n.Body.GetArrayLength() == 1, "the mention");
        var statusId = mention.Body[0].GetProperty("status").GetProperty("id").GetString();
        var status = await Api.GetAsync($"/api/v1/statuses/{statusId}", token);
        Assert.AreEqual(HttpStatusCode.OK, status.Status);
        return status.Body.GetProperty("content").GetString();
    }

    private static string Repeat(string value, int count) => string.Concat(Enumerable.Repeat(value, count));
}
