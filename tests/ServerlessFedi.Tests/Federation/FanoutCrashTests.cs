using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.OAuth;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// The process is killed (SIGKILL, no shutdown) while a post fans out to 1,100 followers on 1,100 inboxes; a second
/// process over the same storage finishes the work. Every inbox must get the post: messages the dead process held come
/// back when their lease runs out (shortened to seconds here with <c>Standalone__QueueLeaseSeconds</c>), a fan-out page
/// (which makes its deliveries itself) is repeated rather than skipped, and deliveries already done may be repeated
/// (receivers deduplicate by activity id).
/// </summary>
[TestClass]
[DoNotParallelize] // large fan-outs killed mid-way (up to 180 s): run alone, so the timing-bound federation tests beside it are not starved
public sealed class FanoutCrashTests
{
    private const int Followers = 1_100;

    /// <summary>Unsharded: the account's inbox set is not built yet, so the fan-out pages through follower rows (and builds it); sharded: it reads the set and splits into shards.</summary>
    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task A_process_killed_during_a_fan_out_leaves_no_inbox_without_the_post(bool sharded)
    {
        // A slow peer: the fan-out delivers up to 64 per core at once itself, so without it the first process could be done
        // before it is killed.
        await using var peer = await FakePeer.StartAsync();
        peer.PostDelay = TimeSpan.FromMilliseconds(500);
        var prefix = TestStorage.NewPrefix();
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var settings = TestStorage.Settings(prefix, baseUrl);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        await using var services = new ServiceCollection().AddFedi(configuration).BuildServiceProvider();
        var alice = (await services.GetRequiredService<AccountStore>().CreateAsync(new NewAccount("alice", "Correct-Horse-42-battery"))).Account!;
        var token = await services.GetRequiredService<AccessTokenStore>().IssueAsync(alice.Id, ["write"]);

        // 1,100 followers with personal inboxes only: 1,100 deliveries over two fan-out pages.
        var inboxes = new List<string>();
        var table = await services.GetRequiredService<FediTables>().GetAsync(StorageNames.FollowersTable);
        foreach (var chunk in Enumerable.Range(0, Followers).Chunk(100))
        {
            await table.SubmitTransactionAsync(chunk.Select(n =>
            {
                var actor = $"{peer.BaseUrl}/users/f{n:D4}";
                inboxes.Add($"/users/f{n:D4}/inbox");
                var (pk, rk) = StorageKeys.Follower(alice.Id, actor);
                return new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(pk, rk)
                {
                    ["ActorId"] = actor,
                    ["Inbox"] = $"{peer.BaseUrl}/users/f{n:D4}/inbox",
                    ["FollowActivityId"] = actor + "#follow",
                    ["CreatedAt"] = DateTimeOffset.UtcNow,
                });
            }));
        }

        if (sharded)
        {
            var inboxSet = services.GetRequiredService<ServerlessFedi.Federation.FollowerStore>().Inboxes;
            await inboxSet.AddManyAsync(alice.Id, Enumerable.Range(0, Followers).Select(n => new ServerlessFedi.Federation.Follower(
                $"{peer.BaseUrl}/users/f{n:D4}", $"{peer.BaseUrl}/users/f{n:D4}/inbox", null, null, DateTimeOffset.UtcNow)), CancellationToken.None);
            await inboxSet.MarkBuiltAsync(alice.Id, CancellationToken.None);
        }

        using var first = StartServe(settings, baseUrl);
        try
        {
            await WaitForHealthAsync(baseUrl);
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
            using var post = new HttpRequestMessage(HttpMethod.Post, "/api/v1/statuses")
            {
                Content = new StringContent(JsonSerializer.Serialize(new { status = "Storm warning for the coast" }), Encoding.UTF8, "application/json"),
            };
            post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var posted = await http.SendAsync(post);
            Assert.AreEqual(HttpStatusCode.OK, posted.StatusCode, await posted.Content.ReadAsStringAsync());

            // Kill as soon as deliveries have started: the fan-out and most deliveries are still ahead.
            await Eventually.TrueAsync(() => Task.FromResult(DeliveredInboxes(peer).Count >= 5), "the first deliveries", TimeSpan.FromSeconds(60));
        }
        finally
        {
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        var beforeRestart = DeliveredInboxes(peer).Count;
        Assert.IsLessThan(Followers, beforeRestart, "the kill came before the fan-out finished (else the test proves nothing)");

        using var second = StartServe(settings, baseUrl);
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(DeliveredInboxes(peer).Count == Followers), "every inbox getting the post after the restart", TimeSpan.FromSeconds(180));
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }

        CollectionAssert.AreEquivalent(inboxes, DeliveredInboxes(peer).ToList(), "each follower's inbox got the Create");
    }

    private static HashSet<string> DeliveredInboxes(FakePeer peer) =>
        peer.Received.Where(r => r.Method == "POST" && JsonNode.Parse(r.BodyText)?["type"]?.GetValue<string>() == "Create").Select(r => r.Path).ToHashSet(StringComparer.Ordinal);

    private static Process StartServe(IDictionary<string, string?> settings, string baseUrl)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = false,
            RedirectStandardError = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(FunctionsApp.OutputDirectory, "ServerlessFedi.Functions.dll"));
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUrl);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Fedi", StringComparison.Ordinal) || k.StartsWith("AzureWebJobsStorage", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (k, v) in settings)
        {
            start.Environment[k.Replace(":", "__", StringComparison.Ordinal)] = v;
        }

        start.Environment["Standalone__QueueLeaseSeconds"] = "6";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return Process.Start(start)!;
    }

    private static async Task WaitForHealthAsync(string baseUrl)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                return (await http.GetAsync("/health")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
            catch (TaskCanceledException)
            {
                return false;
            }
        }, "the process answering /health", TimeSpan.FromSeconds(60));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
