using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// Remote names and links that apps, pages and feeds would show or open, checked when actor and note documents are parsed
/// (issue 11, finding 8): no <c>javascript:</c> or <c>data:</c> links, profile and status links on their author's host,
/// usernames and handles in Mastodon's shape (never a second <c>@</c>).
/// </summary>
[TestClass]
public sealed class RemoteValueValidationTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static JsonObject Actor(string id = "https://remote.example/users/bob") => new()
    {
        ["id"] = id,
        ["type"] = "Person",
        ["preferredUsername"] = "bob",
        ["name"] = "Bob",
        ["inbox"] = id + "/inbox",
        ["url"] = "https://remote.example/@bob",
        ["icon"] = new JsonObject { ["type"] = "Image", ["url"] = "https://files.remote.example/bob.png" },
        ["image"] = new JsonObject { ["type"] = "Image", ["url"] = "https://files.remote.example/header.png" },
    };

    private static (RemoteActor? Actor, string? Error) Parse(JsonObject actor)
    {
        using var doc = JsonDocument.Parse(actor.ToJsonString());
        return ActorDocumentParser.Parse(doc.RootElement.Clone(), new Uri(actor["id"]!.GetValue<string>()), Now);
    }

    private static RemoteActor Parsed(JsonObject actor)
    {
        var (parsed, error) = Parse(actor);
        Assert.IsNotNull(parsed, error);
        return parsed;
    }

    [TestMethod]
    [DataRow("javascript:alert(document.cookie)")]
    [DataRow("data:text/html,<script>alert(1)</script>")]
    [DataRow("http://remote.example/@bob")]
    [DataRow("https://evil.example/@bob")]
    [DataRow("https://user:pass@remote.example/@bob")]
    [DataRow("/@bob")]
    public void An_actor_url_that_is_not_an_https_link_on_its_own_host_is_dropped(string url)
    {
        var actor = Actor();
        actor["url"] = url;

        Assert.IsNull(Parsed(actor).Url);
    }

    [TestMethod]
    public void An_actor_url_on_its_own_host_is_kept()
    {
        Assert.AreEqual("https://remote.example/@bob", Parsed(Actor()).Url);
        Assert.AreEqual("https://files.remote.example/bob.png", Parsed(Actor()).IconUrl);
    }

    [TestMethod]
    [DataRow("javascript:alert(1)")]
    [DataRow("data:image/svg+xml,<svg onload=alert(1)>")]
    [DataRow("http://files.remote.example/bob.png")]
    public void Avatar_and_header_links_that_are_not_https_are_dropped(string url)
    {
        var actor = Actor();
        actor["icon"] = new JsonObject { ["type"] = "Image", ["url"] = url };
        actor["image"] = url;

        var parsed = Parsed(actor);

        Assert.IsNull(parsed.IconUrl);
        Assert.IsNull(parsed.ImageUrl);
    }

    [TestMethod]
    [DataRow("bob@evil.example")]
    [DataRow("bob@")]
    [DataRow("@bob")]
    [DataRow("bob bob")]
    [DataRow("bob/../admin")]
    [DataRow("bob<script>")]
    [DataRow("")]
    [DataRow("-bob")]
    [DataRow("bob.")]
    public void An_actor_whose_username_is_not_a_mastodon_username_is_refused(string username)
    {
        var actor = Actor();
        actor["preferredUsername"] = username;

        var (parsed, error) = Parse(actor);

        Assert.IsNull(parsed);
        StringAssert.Contains(error, "preferredUsername");
    }

    [TestMethod]
    [DataRow("bob")]
    [DataRow("Bob_Smith")]
    [DataRow("bob.smith")]
    [DataRow("bob-smith")]
    [DataRow("_bob_")]
    public void Mastodon_shaped_usernames_are_accepted(string username)
    {
        var actor = Actor();
        actor["preferredUsername"] = username;

        Assert.AreEqual(username, Parsed(actor).PreferredUsername);
    }

    [TestMethod]
    public void Without_a_preferred_username_the_last_segment_of_the_id_is_the_username_if_it_is_one()
    {
        var plain = Actor("https://remote.example/users/carol");
        plain.Remove("preferredUsername");
        var hostile = Actor("https://remote.example/users/carol%40evil.example");
        hostile.Remove("preferredUsername");
        hostile["inbox"] = "https://remote.example/inbox";

        Assert.AreEqual("carol", Parsed(plain).PreferredUsername);
        Assert.IsNull(Parse(hostile).Actor);
    }

    [TestMethod]
    public void Display_name_and_bio_are_bounded()
    {
        var actor = Actor();
        actor["name"] = new string('n', 10_000);
        actor["summary"] = "<p>" + new string('s', 100_000) + "</p>";

        var parsed = Parsed(actor);

        Assert.AreEqual(RemoteValues.MaxDisplayNameLength, parsed.Name!.Length);
        Assert.IsLessThanOrEqualTo(RemoteValues.MaxSummaryLength + 10, parsed.Summary.Length);
    }

    private static RemoteActor Author { get; } = new("https://remote.example/users/bob", "Person", "bob", "Bob", "https://remote.example/users/bob/inbox", null, null, null, null, null, null, Now);

    private static ServerlessFedi.Statuses.Status ParseNote(JsonObject changes)
    {
        var note = new JsonObject
        {
            ["id"] = "https://remote.example/users/bob/statuses/1",
            ["type"] = "Note",
            ["attributedTo"] = Author.Id,
            ["to"] = new JsonArray("https://www.w3.org/ns/activitystreams#Public"),
            ["content"] = "<p>Hello</p>",
        };
        foreach (var (key, value) in changes)
        {
            note[key] = value?.DeepClone();
        }

        using var doc = JsonDocument.Parse(note.ToJsonString());
        var (status, error) = RemoteNoteParser.Parse(doc.RootElement.Clone(), Author, Now);
        Assert.IsNotNull(status, error);
        return status;
    }

    private static JsonObject Mention(string href, string name) => new() { ["tag"] = new JsonArray(new JsonObject { ["type"] = "Mention", ["href"] = href, ["name"] = name }) };

    [TestMethod]
    [DataRow("javascript:alert(1)", "@alice@victim.example")]
    [DataRow("data:text/html,x", "@alice")]
    [DataRow("http://victim.example/users/alice", "@alice@victim.example")]
    [DataRow("https://victim.example/", "@")]
    public void A_mention_without_an_https_link_or_any_username_is_dropped(string href, string name)
    {
        Assert.IsEmpty(ParseNote(Mention(href, name)).Mentions);
    }

    [TestMethod]
    public void A_mention_handle_with_a_second_at_sign_is_taken_from_the_link()
    {
        var mention = ParseNote(Mention("https://victim.example/users/alice", "@alice@victim.example@evil.example")).Mentions.Single();

        Assert.AreEqual("alice", mention.Username);
        Assert.AreEqual("victim.example", mention.Domain);
        Assert.AreEqual("https://victim.example/users/alice", mention.ProfileUrl);
    }

    [TestMethod]
    public void A_mention_cannot_show_one_servers_handle_for_another_servers_actor()
    {
        var spoofed = ParseNote(Mention("https://evil.example/users/alice", "@alice@victim.example")).Mentions.Single();
        var accountDomain = ParseNote(Mention("https://social.example.gov/users/press", "@press@example.gov")).Mentions.Single();

        Assert.AreEqual("evil.example", spoofed.Domain);
        Assert.AreEqual("example.gov", accountDomain.Domain, "a handle's domain may be the parent of the actor's host");
    }

    [TestMethod]
    public void A_mention_with_an_invalid_username_falls_back_to_the_links_last_segment()
    {
        var mention = ParseNote(Mention("https://victim.example/@alice", "@<b>alice</b>")).Mentions.Single();

        Assert.AreEqual("alice", mention.Username);
        Assert.AreEqual("victim.example", mention.Domain);
    }

    [TestMethod]
    [DataRow("javascript:alert(1)")]
    [DataRow("https://evil.example/@bob/1")]
    [DataRow("http://remote.example/@bob/1")]
    public void A_status_url_that_is_not_an_https_link_on_its_authors_host_is_dropped(string url)
    {
        Assert.IsNull(ParseNote(new JsonObject { ["url"] = url }).Url);
        Assert.AreEqual("https://remote.example/@bob/1", ParseNote(new JsonObject { ["url"] = "https://remote.example/@bob/1" }).Url);
    }
}
