using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Signatures;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Benchmarks;

/// <summary>
/// Scenario A: remote actors (10 per server, all new to the instance) each POST a draft-cavage signed Follow to a local
/// account's inbox; each is then processed by the inbox queue function, which delivers the Accept itself (a delivery
/// message, processed here, only when that POST failed). One
/// Follow at a time, so every stage's time and storage transactions belong to that Follow alone. A warm-up Follow to
/// another account first pays the once-per-process costs (table and queue creation, the instance actor).
/// </summary>
public sealed class InboundFollowScenario(BenchInstance instance, FakeRemoteServer remote, string remotePrivateKeyPem)
{
    private const string ActivityContentType = "application/activity+json";

    private readonly HttpSignatureSigner _signer = new();

    public async Task<FollowResults> RunAsync(int follows)
    {
        var account = await Phase.RunAsync("setup", () => instance.CreateAccountAsync("agency"));
        var warmupAccount = await Phase.RunAsync("setup", () => instance.CreateAccountAsync("warmup"));

        await FollowAsync(warmupAccount, "warmup" + BenchInstance.BenchDomain, "w0", FollowResults.WarmupReceive, FollowResults.WarmupInbox, FollowResults.WarmupAccept);
        remote.Reset();

        var receive = new List<TimeSpan>(follows);
        var processing = new List<TimeSpan>(follows);
        var accept = new List<TimeSpan>(follows);
        int inboxEmpty = 0, deliverEmpty = 0;
        var elapsed = Stopwatch.StartNew();
        for (var i = 0; i < follows; i++)
        {
            var timing = await FollowAsync(account, $"follow{i / 10:D3}{BenchInstance.BenchDomain}", $"u{i}", FollowResults.ReceivePhase, FollowResults.InboxPhase, FollowResults.AcceptPhase);
            receive.Add(timing.Receive);
            processing.Add(timing.Processing);
            accept.Add(timing.Accept);
            inboxEmpty += timing.InboxEmptyPolls;
            deliverEmpty += timing.DeliverEmptyPolls;
        }

        elapsed.Stop();
        var (count, rows) = await Phase.RunAsync("verify", () => FollowersOfAsync(account.Id));
        return new FollowResults(follows, count, rows, remote.Posts, remote.UnsignedPosts, inboxEmpty, deliverEmpty, receive, processing, accept, elapsed.Elapsed);
    }

    private async Task<(TimeSpan Receive, TimeSpan Processing, TimeSpan Accept, int InboxEmptyPolls, int DeliverEmptyPolls)> FollowAsync(
        LocalAccount account, string host, string user, string receivePhase, string inboxPhase, string acceptPhase)
    {
        var actorId = remote.ActorId(host, user);
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = $"http://{host}:{remote.Port}/follows/{user}",
            ["type"] = "Follow",
            ["actor"] = actorId,
            ["object"] = instance.Urls.Actor(account.Username),
        }.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, instance.Urls.Inbox(account.Username)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", ActivityContentType);
        _signer.Sign(request, body, new SigningKey(actorId + "#main-key", remotePrivateKeyPem), DateTimeOffset.UtcNow);

        instance.HttpPhase = receivePhase;
        var posts = remote.Posts;
        var watch = Stopwatch.StartNew();
        using (var response = await instance.Http.SendAsync(request))
        {
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"Follow from {actorId} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        var received = watch.Elapsed;
        var inboxEmpty = await Phase.RunAsync(inboxPhase, () => ProcessOneAsync(instance.Queues.Inbox));
        var processed = watch.Elapsed;
        var deliverEmpty = remote.Posts > posts ? 0 : await Phase.RunAsync(acceptPhase, () => ProcessOneAsync(instance.Queues.Deliver));
        var accepted = watch.Elapsed;
        return (received, processed - received, accepted - processed, inboxEmpty, deliverEmpty);
    }

    /// <summary>Receives until one message was processed; returns the receives that came back empty (expected: none).</summary>
    private async Task<int> ProcessOneAsync(string queue)
    {
        for (var empty = 0; empty < 100; empty++)
        {
            if (await instance.PollOnceAsync(queue) > 0)
            {
                return empty;
            }
        }

        throw new InvalidOperationException($"No message arrived on {queue}.");
    }

    private async Task<(long Count, long Rows)> FollowersOfAsync(string accountId)
    {
        var account = await instance.Services.GetRequiredService<AccountStore>().GetByIdAsync(accountId)
            ?? throw new InvalidOperationException("the benchmark account vanished");
        var table = await instance.Services.GetRequiredService<FediTables>().GetAsync(StorageNames.FollowersTable);
        long rows = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(e => e.PartitionKey == accountId, select: ["RowKey"]))
        {
            rows++;
        }

        return (account.FollowersCount, rows);
    }
}
