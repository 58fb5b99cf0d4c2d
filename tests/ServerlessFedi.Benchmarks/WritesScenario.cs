using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.OAuth;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Benchmarks;

/// <summary>
/// Scenario W (issue 13 items 2 and 3): what a favourite and a post cost inside the request, through the client API with a
/// bearer token, one at a time (the listeners stopped, so only the request's own transactions are counted); then, with
/// every queue listener running as the deployed host does (host.json's polling), the time from a post's response to its
/// delivery at a loopback inbox, each post made after the instance has been idle for at least <see cref="IdleGap"/>, so
/// the listeners have backed off to <c>maxPollingInterval</c> (a random extra pause puts each post at another point of
/// the polling cycle).
/// </summary>
public sealed class WritesScenario(BenchInstance instance, FakeRemoteServer remote, StorageCounter counter)
{
    public const string FavouritePhase = "writes.favourite";
    public const string PostPhase = "writes.post";
    public const string UnfavouritePhase = "writes.unfavourite";
    public const string ReblogPhase = "writes.reblog";
    public const string UnreblogPhase = "writes.unreblog";

    /// <summary>The phases of one request each, counted per request.</summary>
    public static readonly string[] RequestPhases = [FavouritePhase, UnfavouritePhase, ReblogPhase, UnreblogPhase, PostPhase];
    public const string ListenersPhase = "writes.listeners";

    /// <summary>Long enough for an idle listener's back-off (100 ms doubling) to reach a maxPollingInterval of up to 2 s.</summary>
    private static readonly TimeSpan IdleGap = TimeSpan.FromSeconds(4);

    public async Task<WritesResults> RunAsync(int count)
    {
        var (author, token) = await Phase.RunAsync("writes.setup", () => AccountAsync("writedesk"));
        var (reader, _) = await Phase.RunAsync("writes.setup", () => AccountAsync("writereader"));
        var host = "first" + BenchInstance.BenchDomain;
        var followerId = remote.ActorId(host, "listener");
        var follower = new RemoteActor(followerId, "Person", "listener", null, followerId + "/inbox", remote.SharedInbox(host), null, followerId + "#main-key", remote.PublicKeyPem, null, null, DateTimeOffset.UtcNow);
        await Phase.RunAsync("writes.setup", () => instance.Services.GetRequiredService<FollowerStore>().AddAsync(author.Id, follower, followerId + "#follow", CancellationToken.None));
        var posting = instance.Services.GetRequiredService<StatusService>();
        var targets = new List<string>();
        for (var i = 0; i <= count; i++)
        {
            targets.Add((await Phase.RunAsync("writes.setup", () => posting.CreateAsync(reader, new NewStatus($"Tide table {i} for the harbour."), CancellationToken.None))).Status!.Id);
        }

        // Warm-up (tables, the token's first read, JIT): one of each, not counted.
        instance.HttpPhase = "writes.warmup";
        await SendAsync(token, $"/api/v1/statuses/{targets[^1]}/favourite", null);
        await SendAsync(token, "/api/v1/statuses", "Warm-up post.");

        instance.HttpPhase = FavouritePhase;
        foreach (var id in targets.Take(count))
        {
            await SendAsync(token, $"/api/v1/statuses/{id}/favourite", null);
        }

        foreach (var (phase, action) in new[] { (UnfavouritePhase, "unfavourite"), (ReblogPhase, "reblog"), (UnreblogPhase, "unreblog") })
        {
            instance.HttpPhase = phase;
            foreach (var id in targets.Take(count))
            {
                await SendAsync(token, $"/api/v1/statuses/{id}/{action}", null);
            }
        }

        instance.HttpPhase = PostPhase;
        for (var i = 0; i < count; i++)
        {
            await SendAsync(token, "/api/v1/statuses", $"Water level report {i}: normal.");
        }

        instance.HttpPhase = "writes.drain";
        await Phase.RunAsync("writes.drain", async () =>
        {
            foreach (var queue in instance.Queues.All)
            {
                await instance.DrainAsHostAsync(queue);
            }
        });

        // First delivery on an idle instance: the host's listeners poll as deployed.
        instance.HttpPhase = "writes.latency";
        var latencies = new List<TimeSpan>(count);
        await Phase.RunAsync(ListenersPhase, instance.StartListenersAsync);
        var listening = Stopwatch.StartNew();
        try
        {
            for (var i = 0; i < count; i++)
            {
                await Task.Delay(IdleGap + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 2000)));
                var before = remote.Posts;
                await SendAsync(token, "/api/v1/statuses", $"Gauge {i} reading: 2.1 m.");
                var answered = Stopwatch.GetTimestamp();
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (remote.Posts == before && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(2);
                }

                latencies.Add(remote.Posts == before ? TimeSpan.FromSeconds(30) : Stopwatch.GetElapsedTime(answered, remote.LastPostAt));
            }
        }
        finally
        {
            await instance.StopListenersAsync();
        }

        var receives = counter.Count(ListenersPhase, k => k is { Service: StorageOperation.Queue, Operation: "GetMessages" });

        return new WritesResults(count, counter.Count(FavouritePhase) / (double)count, counter.Count(PostPhase) / (double)count, Percentiles.Of(latencies), receives / listening.Elapsed.TotalSeconds, instance.Queues.All.Count, counter.Snapshot())
        {
            PerUnfavourite = counter.Count(UnfavouritePhase) / (double)count,
            PerReblog = counter.Count(ReblogPhase) / (double)count,
            PerUnreblog = counter.Count(UnreblogPhase) / (double)count,
        };
    }

    private async Task<(LocalAccount Account, string Token)> AccountAsync(string username)
    {
        var account = await instance.CreateAccountAsync(username);
        return (account, await instance.Services.GetRequiredService<AccessTokenStore>().IssueAsync(account.Id, ["read", "write", "follow"]));
    }

    private async Task SendAsync(string token, string path, string? status)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = status is null ? null : new StringContent($"{{\"status\":\"{status}\"}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await instance.Http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
