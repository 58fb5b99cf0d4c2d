using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Functions.Admin;
using ServerlessFedi.Migration;
using ServerlessFedi.Tests.Federation;
using ServerlessFedi.Tests.Infrastructure;
using ServerlessFedi.Tests.MastodonApi;

namespace ServerlessFedi.Tests.Migration;

/// <summary><c>admin account import</c> of Mastodon's CSV exports against the running instance: our own export round-trips, hostile files change nothing they should not.</summary>
[TestClass]
public sealed class CsvImportTests : FederationTest<CsvImportTests>
{
    public TestContext TestContext { get; set; } = null!;

    private static async Task<(int Exit, string Stdout, string Stderr)> ImportAsync(LocalAccount into, string type, string csv, bool overwrite = false)
    {
        var file = Path.Combine(Path.GetTempPath(), $"import-{Next()}.csv");
        await File.WriteAllTextAsync(file, csv);
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            string[] args = ["account", "import", "--username", into.Username, "--type", type, "--file", file, .. overwrite ? new[] { "--overwrite" } : []];
            var exit = await AdminCli.RunAsync(args, TestStorage.Configuration(Instance.Prefix, Instance.BaseUrl), stdout, stderr, new StringReader(""));
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Domain => new Uri(Instance.BaseUrl).Authority;

    private static async Task<System.Text.Json.JsonElement> RelationshipAsync(string token, string accountId) =>
        (await GetAsync($"/api/v1/accounts/relationships?id[]={accountId}", token)).Body[0];

    [TestMethod]
    public async Task The_archive_s_CSV_files_import_into_another_account()
    {
        var (alice, aliceToken) = await AccountAsync("exporter");
        var (bob, bobToken) = await AccountAsync("exportbob");
        var (carol, _) = await AccountAsync("exportcarol");
        var (dave, _) = await AccountAsync("exportdave");
        var (zed, zedToken) = await AccountAsync("importer");
        var remote = Peer.AddActor("exportremote" + Next());
        await FollowRemoteAsync(alice, aliceToken, remote);
        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{bob.Id}/follow", aliceToken, Json(new { reblogs = false }))).Status);
        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{dave.Id}/block", aliceToken)).Status);
        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{carol.Id}/mute", aliceToken)).Status);
        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/api/v1/domain_blocks", aliceToken, new FormUrlEncodedContent([new("domain", "spam.example")]))).Status);
        var post = await PostAsync(bobToken, "Worth keeping");
        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{post}/bookmark", aliceToken)).Status);

        using var archive = new MemoryStream();
        await Instance.Services.GetRequiredService<ServerlessFedi.Export.AccountArchive>().WriteAsync(alice, archive, TestContext.CancellationToken);
        archive.Position = 0;
        using var zip = new ZipArchive(archive, ZipArchiveMode.Read);
        string Csv(string name)
        {
            using var reader = new StreamReader(zip.GetEntry(name)!.Open(), Encoding.UTF8);
            return reader.ReadToEnd();
        }

        // The fake peer has no WebFinger: its handle is known as if resolved a minute ago.
        await Instance.Services.GetRequiredService<RemoteActorStore>().PutHandleAsync($"{new Uri(remote.Id).Segments[^1]}@{new Uri(remote.Id).Authority}", remote.Id, DateTimeOffset.UtcNow, TestContext.CancellationToken);
        foreach (var (file, type) in new[] { ("following_accounts.csv", "following"), ("blocked_accounts.csv", "blocks"), ("muted_accounts.csv", "mutes"), ("blocked_domains.csv", "domain_blocks"), ("bookmarks.csv", "bookmarks") })
        {
            var result = await ImportAsync(zed, type, Csv(file));
            Assert.AreEqual(0, result.Exit, $"{file}: {result.Stdout} {result.Stderr}");
            StringAssert.Contains(result.Stdout, "0 failed");
        }

        var toBob = await RelationshipAsync(zedToken, bob.Id);
        Assert.IsTrue(toBob.GetProperty("following").GetBoolean());
        Assert.IsFalse(toBob.GetProperty("showing_reblogs").GetBoolean(), "Show boosts false is kept");
        await ApiTestClient.ReceivedAsync(Peer, remote.InboxPath, "Follow", f => (string?)f["actor"] == ActorUri(zed), "zed's Follow of the remote account");
        Assert.IsTrue((await RelationshipAsync(zedToken, dave.Id)).GetProperty("blocking").GetBoolean());
        Assert.IsTrue((await RelationshipAsync(zedToken, carol.Id)).GetProperty("muting").GetBoolean());
        Assert.AreEqual("spam.example", (await GetAsync("/api/v1/domain_blocks", zedToken)).Body[0].GetString());
        Assert.AreEqual(post, (await GetAsync("/api/v1/bookmarks", zedToken)).Body[0].GetProperty("id").GetString());
    }

    [TestMethod]
    public async Task Bad_lines_are_reported_with_their_reason_and_the_good_ones_imported()
    {
        var (bob, _) = await AccountAsync("goodline");
        var (zed, zedToken) = await AccountAsync("badlines");
        var csv = string.Join("\r\n",
            "Account address,Show boosts,Notify on new posts,Languages",
            $"{bob.Username}@{Domain},true,false,",
            "\"unbalanced@x.example,true",
            ",true",
            "not-an-address,true",
            "nobody@nowhere.invalid,true",
            $"{zed.Username}@{Domain},true",
            new string('a', 3000) + "@x.example");

        var result = await ImportAsync(zed, "following", csv);

        Assert.AreEqual(1, result.Exit, "failed lines make the exit code 1");
        StringAssert.Contains(result.Stdout, "line 3: ");
        StringAssert.Contains(result.Stdout, "unbalanced quotes");
        StringAssert.Contains(result.Stdout, "line 4: : the first field is empty");
        StringAssert.Contains(result.Stdout, "line 5: not-an-address: not an account address");
        StringAssert.Contains(result.Stdout, "line 6: nobody@nowhere.invalid: the account could not be found");
        StringAssert.Contains(result.Stdout, "line 7: ");
        StringAssert.Contains(result.Stdout, "importing account itself");
        StringAssert.Contains(result.Stdout, "line 8: ");
        StringAssert.Contains(result.Stdout, "7/7 rows");
        StringAssert.Contains(result.Stdout, "Imported 1 of 7 row(s)");
        Assert.IsTrue((await RelationshipAsync(zedToken, bob.Id)).GetProperty("following").GetBoolean());
        Assert.AreEqual(1, (await Instance.Accounts.GetByIdAsync(zed.Id))!.FollowingCount);
    }

    [TestMethod]
    public async Task An_oversized_file_or_one_with_too_many_rows_is_refused_whole()
    {
        var (bob, _) = await AccountAsync("notimported");
        var (zed, zedToken) = await AccountAsync("oversized");
        var line = $"{bob.Username}@{Domain}\r\n";
        var big = await ImportAsync(zed, "blocks", string.Concat(Enumerable.Repeat(line, (int)(CsvImport.MaxBytes / line.Length) + 1)));
        var many = await ImportAsync(zed, "blocks", line + string.Concat(Enumerable.Repeat("x@y.example\r\n", CsvImport.MaxRows)));
        var bookmarksOverwrite = await ImportAsync(zed, "bookmarks", "https://x.example/1", overwrite: true);
        var unknownType = await ImportAsync(zed, "lists", line);

        Assert.AreEqual(1, big.Exit);
        StringAssert.Contains(big.Stderr, "larger than 20 MB");
        Assert.AreEqual(1, many.Exit);
        StringAssert.Contains(many.Stderr, "more than 20,000 rows");
        Assert.AreEqual(1, bookmarksOverwrite.Exit);
        Assert.AreEqual(2, unknownType.Exit);
        Assert.IsFalse((await RelationshipAsync(zedToken, bob.Id)).GetProperty("blocking").GetBoolean(), "nothing of a refused file is imported");
    }

    [TestMethod]
    public async Task Overwrite_removes_what_the_file_does_not_list()
    {
        var (zed, zedToken) = await AccountAsync("overwriter");
        Assert.AreEqual(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/api/v1/domain_blocks", zedToken, new FormUrlEncodedContent([new("domain", "old.example")]))).Status);

        var result = await ImportAsync(zed, "domain_blocks", "new.example\r\nnot a domain!\r\n", overwrite: true);

        StringAssert.Contains(result.Stdout, "1 removed");
        CollectionAssert.AreEqual(new[] { "new.example" }, (await GetAsync("/api/v1/domain_blocks", zedToken)).Body.EnumerateArray().Select(d => d.GetString()).ToArray());
    }
}
