using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// Text fields of remote documents are bounded before they cost CPU or storage (the class of Mastodon GHSA-gg8q-rcg7-p79g,
/// "missing limits on federated properties"): an inbox body may be 1 MiB and a fetched document 2 MiB, HTML sanitising grows
/// faster than linearly with nesting, and an Azure Table string property holds 32,768 UTF-16 characters (Azurite does not
/// enforce that). The limits are C44 in docs/SECURITY.md.
/// </summary>
[TestClass]
public sealed class RemoteFieldLimitTests
{
    /// <summary>The longest string an Azure Table property holds (64 KiB of UTF-16).</summary>
    private const int TablePropertyChars = 32 * 1024;

    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly string MegabyteOfNesting = string.Concat(Enumerable.Repeat("<div>", 200_000)) + "x";

    [TestMethod]
    public void A_megabyte_of_nested_markup_in_a_remote_bio_is_refused_or_cut_before_it_is_sanitised()
    {
        var doc = Actor("https://peer.example/users/ann");
        doc["summary"] = MegabyteOfNesting;

        var clock = Stopwatch.StartNew();
        var (actor, _) = ActorDocumentParser.Parse(Element(doc), new Uri("https://peer.example/users/ann"), Now);

        Assert.IsLessThan(TimeSpan.FromSeconds(5), clock.Elapsed, "sanitising is bounded by the input it is given");
        Assert.IsTrue(actor is null || actor.Summary.Length <= TablePropertyChars, "the bio fits the actor's table row");
    }

    [TestMethod]
    public void A_megabyte_of_nested_markup_in_a_remote_note_is_refused_or_cut_before_it_is_sanitised()
    {
        var author = ActorDocumentParser.Parse(Element(Actor("https://peer.example/users/ann")), new Uri("https://peer.example/users/ann"), Now).Actor!;
        var note = new JsonObject
        {
            ["id"] = "https://peer.example/users/ann/statuses/1",
            ["type"] = "Note",
            ["attributedTo"] = author.Id,
            ["to"] = new JsonArray("https://www.w3.org/ns/activitystreams#Public"),
            ["content"] = MegabyteOfNesting,
        };

        var clock = Stopwatch.StartNew();
        var (status, _) = RemoteNoteParser.Parse(Element(note), author, Now);

        Assert.IsLessThan(TimeSpan.FromSeconds(5), clock.Elapsed, "sanitising is bounded by the input it is given");
        Assert.IsTrue(status is null || status.ContentHtml.Length <= TablePropertyChars, "the content fits the status row");
    }

    [TestMethod]
    public void Remote_display_names_and_usernames_are_bounded()
    {
        var doc = Actor("https://peer.example/users/ann");
        doc["name"] = new string('N', 100_000);
        doc["preferredUsername"] = new string('u', 100_000);

        var (actor, _) = ActorDocumentParser.Parse(Element(doc), new Uri("https://peer.example/users/ann"), Now);

        Assert.IsTrue(actor is null || (actor.Name?.Length ?? 0) <= TablePropertyChars && (actor.PreferredUsername?.Length ?? 0) <= TablePropertyChars);
    }

    private static JsonObject Actor(string id) => new()
    {
        ["id"] = id,
        ["type"] = "Person",
        ["preferredUsername"] = "ann",
        ["inbox"] = id + "/inbox",
        ["followers"] = id + "/followers",
        ["publicKey"] = new JsonObject { ["id"] = id + "#main-key", ["owner"] = id, ["publicKeyPem"] = "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----" },
    };

    private static JsonElement Element(JsonObject json)
    {
        using var doc = JsonDocument.Parse(json.ToJsonString());
        return doc.RootElement.Clone();
    }
}
