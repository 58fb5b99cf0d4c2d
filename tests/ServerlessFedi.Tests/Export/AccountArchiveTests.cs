using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ServerlessFedi.Functions.Admin;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.MastodonApi;
using SkiaSharp;

namespace ServerlessFedi.Tests.Export;

/// <summary>
/// The data export (GDPR Art. 20) through the API route and the admin CLI: an account with posts, an uploaded image,
/// an avatar, follows, a follower, a boost, a favourite, a bookmark, a list, a mute, a block and a domain block.
/// </summary>
[TestClass]
public sealed class AccountArchiveTests
{
    private static TestInstance _instance = null!;
    private static ApiTestClient _api = null!;
    private static string _alice = null!;
    private static string _aliceToken = null!;
    private static string _domain = null!;
    private static string _bobPostUri = null!;
    private static string _photoPostId = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _)
    {
        _instance = await TestInstance.StartAsync();
        _api = new ApiTestClient(_instance);
        _domain = new Uri(_instance.BaseUrl).Authority;
        var (alice, aliceToken) = await _api.AccountAsync("alice");
        var (bob, bobToken) = await _api.AccountAsync("bob");
        var (carol, _) = await _api.AccountAsync("carol");
        var (dave, _) = await _api.AccountAsync("dave");
        (_alice, _aliceToken) = (alice.Username, aliceToken);

        using var avatar = new MultipartFormDataContent { { ApiTestClient.File(ApiTestClient.Image(120, 120, SKEncodedImageFormat.Png), "image/png"), "avatar", "me.png" } };
        Ok(await _api.SendAsync(HttpMethod.Patch, "/api/v1/accounts/update_credentials", aliceToken, avatar));
        using var upload = new MultipartFormDataContent { { ApiTestClient.File(ApiTestClient.Image(64, 48, SKEncodedImageFormat.Jpeg), "image/jpeg"), "file", "photo.jpg" } };
        var media = Ok(await _api.SendAsync(HttpMethod.Post, "/api/v2/media", aliceToken, upload)).GetProperty("id").GetString()!;
        _photoPostId = Ok(await _api.SendAsync(HttpMethod.Post, "/api/v1/statuses", aliceToken, ApiTestClient.Json(new { status = "With a photo", media_ids = new[] { media } }))).GetProperty("id").GetString()!;
        await _api.PostAsync(aliceToken, "Plain post, with \"quotes\", commas");
        Ok(await _api.SendAsync(HttpMethod.Post, "/api/v1/statuses", aliceToken, ApiTestClient.Json(new { status = "Followers only", visibility = "private" })));

        var bobPost = await _api.PostAsync(bobToken, "Bob's post");
        _bobPostUri = $"{_instance.BaseUrl}/users/bob/statuses/{bobPost}";
        Ok(await _api.SendAsync(HttpMethod.Post, $"/api/v1/accounts/{bob.Id}/follow", aliceToken));
        Ok(await _api.SendAsync(HttpMethod.Post, $"/api/v1/accounts/{alice.Id}/follow", bobToken));
        foreach (var action in new[] { "favourite", "bookmark", "reblog" })
        {
            Ok(await _api.SendAsync(HttpMethod.Post, $"/api/v1/statuses/{bobPost}/{action}", aliceToken));
        }

        var list = Ok(await _api.SendAsync(HttpMethod.Post, "/api/v1/lists", aliceToken, ApiTestClient.Json(new { title = "Press, local" }))).GetProperty("id").GetString()!;
        Ok(await _api.SendAsync(HttpMethod.Post, $"/api/v1/lists/{list}/accounts", aliceToken, ApiTestClient.Json(new { account_ids = new[] { bob.Id } })));
        Ok(await _api.SendAsync(HttpMethod.Post, $"/api/v1/accounts/{carol.Id}/mute", aliceToken));
        Ok(await _api.SendAsync(HttpMethod.Post, $"/api/v1/accounts/{dave.Id}/block", aliceToken));
        Ok(await _api.SendAsync(HttpMethod.Post, "/api/v1/domain_blocks", aliceToken, ApiTestClient.Json(new { domain = "spam.example" })));
    }

    [ClassCleanup]
    public static async Task StopAsync() => await _instance.DisposeAsync();

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task The_api_archive_holds_the_posts_media_avatar_marks_and_mastodons_csv_exports()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/accounts/export");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _aliceToken);
        using var response = await _instance.Http.SendAsync(request, TestContext.CancellationToken);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("attachment; filename=\"archive-alice-", response.Content.Headers.ContentDisposition?.ToString() ?? "");
        await AssertArchiveAsync(await response.Content.ReadAsByteArrayAsync(TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task The_cli_writes_the_same_archive_to_a_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"archive-{Guid.NewGuid():N}.zip");
        try
        {
            var run = await CliAsync("account", "export", "--username", _alice, "--out", path);

            Assert.AreEqual(0, run.Exit, run.Stderr);
            Assert.Contains(path, run.Stdout);
            await AssertArchiveAsync(await File.ReadAllBytesAsync(path, TestContext.CancellationToken));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public async Task The_cli_refuses_an_unknown_account_and_writes_nothing()
    {
        var path = Path.Combine(Path.GetTempPath(), $"archive-{Guid.NewGuid():N}.zip");

        var run = await CliAsync("account", "export", "--username", "nobody", "--out", path);

        Assert.AreEqual(1, run.Exit);
        Assert.Contains("no local account 'nobody'", run.Stderr);
        Assert.IsFalse(File.Exists(path));
    }

    [TestMethod]
    public async Task The_api_refuses_no_token_and_a_token_without_read()
    {
        var (_, writeOnly) = await _api.AccountAsync("erin" + ApiTestClient.Next(), "write");

        var anonymous = await _api.GetAsync("/api/v1/accounts/export", null);
        var narrow = await _api.GetAsync("/api/v1/accounts/export", writeOnly);

        Assert.AreEqual(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.IsTrue(anonymous.Body.TryGetProperty("error", out _));
        Assert.AreEqual(HttpStatusCode.Forbidden, narrow.Status);
        Assert.IsTrue(narrow.Body.TryGetProperty("error", out _));
    }

    private async Task AssertArchiveAsync(byte[] archive)
    {
        using var zip = new ZipArchive(new MemoryStream(archive), ZipArchiveMode.Read);
        var entries = zip.Entries.ToDictionary(e => e.FullName, ReadAll, StringComparer.Ordinal);
        foreach (var json in entries.Keys.Where(n => n.EndsWith(".json", StringComparison.Ordinal)))
        {
            using var _ = JsonDocument.Parse(entries[json]);
        }

        var outbox = JsonDocument.Parse(entries["outbox.json"]).RootElement;
        Assert.AreEqual("OrderedCollection", outbox.GetProperty("type").GetString());
        var items = outbox.GetProperty("orderedItems").EnumerateArray().ToList();
        Assert.AreEqual(items.Count, outbox.GetProperty("totalItems").GetInt32());
        var creates = items.Where(i => i.GetProperty("type").GetString() == "Create").ToList();
        var contents = creates.Select(c => c.GetProperty("object").GetProperty("content").GetString()!).ToList();
        Assert.HasCount(3, creates, "every post, followers-only included");
        Assert.IsTrue(contents.Any(c => c.Contains("With a photo", StringComparison.Ordinal)));
        Assert.IsTrue(contents.Any(c => c.Contains("Followers only", StringComparison.Ordinal)));
        var announce = items.Single(i => i.GetProperty("type").GetString() == "Announce");
        Assert.AreEqual(_bobPostUri, announce.GetProperty("object").GetString());

        var photo = creates.Single(c => c.GetProperty("object").GetProperty("id").GetString()!.EndsWith("/" + _photoPostId, StringComparison.Ordinal));
        var mediaPath = photo.GetProperty("object").GetProperty("attachment")[0].GetProperty("url").GetString()!;
        Assert.StartsWith("media_attachments/files/", mediaPath);
        Assert.IsTrue(entries.ContainsKey(mediaPath), mediaPath);
        using (var image = SKBitmap.Decode(entries[mediaPath]))
        {
            Assert.AreEqual(64, image.Width);
        }

        var actor = JsonDocument.Parse(entries["actor.json"]).RootElement;
        Assert.AreEqual($"{_instance.BaseUrl}/users/alice", actor.GetProperty("id").GetString());
        Assert.AreEqual("outbox.json", actor.GetProperty("outbox").GetString());
        var avatarPath = actor.GetProperty("icon").GetProperty("url").GetString()!;
        Assert.StartsWith("avatar.", avatarPath);
        Assert.IsTrue(entries[avatarPath].Length > 0);

        Assert.AreEqual(_bobPostUri, JsonDocument.Parse(entries["likes.json"]).RootElement.GetProperty("orderedItems")[0].GetString());
        Assert.AreEqual(_bobPostUri, JsonDocument.Parse(entries["bookmarks.json"]).RootElement.GetProperty("orderedItems")[0].GetString());

        // Column headers as Mastodon writes them (app/models/export.rb); files without a header have none there either.
        Assert.AreEqual($"Account address,Show boosts,Notify on new posts,Languages\r\nbob@{_domain},true,false,\r\n", Text(entries["following_accounts.csv"]));
        Assert.AreEqual($"Account address\r\nbob@{_domain}\r\n", Text(entries["followers.csv"]));
        Assert.AreEqual($"\"Press, local\",bob@{_domain}\r\n", Text(entries["lists.csv"]));
        Assert.AreEqual($"Account address,Hide notifications\r\ncarol@{_domain},true\r\n", Text(entries["muted_accounts.csv"]));
        Assert.AreEqual($"dave@{_domain}\r\n", Text(entries["blocked_accounts.csv"]));
        Assert.AreEqual("spam.example\r\n", Text(entries["blocked_domains.csv"]));
        Assert.AreEqual($"{_bobPostUri}\r\n", Text(entries["bookmarks.csv"]));
    }

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string Text(byte[] data) => Encoding.UTF8.GetString(data);

    private static JsonElement Ok((HttpStatusCode Status, JsonElement Body) response)
    {
        Assert.AreEqual(HttpStatusCode.OK, response.Status, response.Body.ToString());
        return response.Body;
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> CliAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await AdminCli.RunAsync(args, TestStorage.Configuration(_instance.Prefix, _instance.BaseUrl), stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
