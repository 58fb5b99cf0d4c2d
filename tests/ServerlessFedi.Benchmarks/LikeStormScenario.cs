using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Notifications;
using ServerlessFedi.Signatures;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Benchmarks;

/// <summary>
/// Scenario D (issue 17): <c>likes</c> Likes of one local post from as many distinct remote actors, all new to the
/// instance, arriving at once: the signed POSTs are sent <c>concurrency</c> at a time, then the inbox queue is drained
/// by ⌈concurrency/16⌉ receive loops of 16, so that many Likes of the same status are applied at once. Before it, a
/// baseline of <see cref="Serial"/> Likes of another post, also from new actors, one at a time (POST, then one poll of
/// the inbox queue). Checked: the exact favourites count, one notification per Like, nothing in <c>inbox-poison</c>.
/// </summary>
public sealed class LikeStormScenario(BenchInstance instance, FakeRemoteServer remote, string remotePrivateKeyPem, StorageCounter counter)
{
    public const string SerialPhase = "likes.serial";
    public const string ReceivePhase = "likes.receive";
    public const string InboxPhase = "likes.inbox";

    /// <summary>Uncontended Likes measured first, for the ratio.</summary>
    public const int Serial = 20;

    private readonly HttpSignatureSigner _signer = new();

    public async Task<LikeStormResults> RunAsync(int likes, int concurrency)
    {
        var author = await Phase.RunAsync("likes.setup", () => instance.CreateAccountAsync("stormdesk"));
        var baselinePost = await Phase.RunAsync("likes.setup", () => PostAsync(author, "Baseline post."));
        var post = await Phase.RunAsync("likes.setup", () => PostAsync(author, "Storm warning lifted for the whole coast."));

        // Warm-up (table creation, first contact with the remote host): one Like, not counted.
        await Phase.RunAsync("likes.warmup", () => SendSeriallyAsync(Like(author, baselinePost, "warm", 0)));
        foreach (var i in Enumerable.Range(1, Serial))
        {
            await Phase.RunAsync(SerialPhase, () => SendSeriallyAsync(Like(author, baselinePost, "serial", i)));
        }

        var requests = Enumerable.Range(0, likes).Select(i => Like(author, post, "storm", i)).ToList();
        var watch = Stopwatch.StartNew();
        instance.HttpPhase = ReceivePhase;
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (request, ct) =>
        {
            using (request)
            using (var response = await instance.Http.SendAsync(request, ct))
            {
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    throw new InvalidOperationException($"the shared inbox answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
                }
            }
        });
        var received = watch.Elapsed;
        var pollers = Math.Max(1, (int)Math.Ceiling(concurrency / (double)instance.QueueBatchSize));
        var drain = await Phase.RunAsync(InboxPhase, () => instance.DrainAsync(instance.Queues.Inbox, pollers));
        var applied = watch.Elapsed - received;

        var counted = (await instance.Services.GetRequiredService<StatusStore>().GetAsync(post.Id, CancellationToken.None))!.FavouritesCount;
        var notifications = 0;
        await foreach (var n in instance.Services.GetRequiredService<NotificationStore>().ScanAsync(author.Id, null, null, 1000, 1_000_000, CancellationToken.None))
        {
            notifications += n.StatusId == post.Id && n.Type == NotificationType.Favourite ? 1 : 0;
        }

        var poison = instance.Storage.RawQueues.GetQueueClient(instance.Queues.Inbox + "-poison");
        var poisoned = await poison.ExistsAsync() ? (await poison.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
        return new LikeStormResults(
            likes, concurrency, pollers, drain.Messages, received, applied, counted, notifications, poisoned,
            counter.Count(SerialPhase) / (double)Serial,
            (counter.Count(ReceivePhase) + counter.Count(InboxPhase)) / (double)likes,
            counter.Count(ReceivePhase) / (double)likes,
            counter.Snapshot());
    }

    private async Task SendSeriallyAsync(HttpRequestMessage request)
    {
        using (request)
        {
            instance.HttpPhase = Phase.Current ?? SerialPhase;
            using var response = await instance.Http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"the shared inbox answered {(int)response.StatusCode}");
            }
        }

        for (var empty = 0; empty < 100; empty++)
        {
            if (await instance.PollOnceAsync(instance.Queues.Inbox) > 0)
            {
                return;
            }
        }

        throw new InvalidOperationException("No message arrived on the inbox queue.");
    }

    /// <summary>A signed Like of <paramref name="status"/> by a new actor (ten per remote server).</summary>
    private HttpRequestMessage Like(LocalAccount author, Status status, string group, int i)
    {
        var actorId = remote.ActorId($"{group}{i / 10:D3}{BenchInstance.BenchDomain}", $"{group}{i}");
        var activity = new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = $"{actorId}/likes/{status.Id}",
            ["type"] = "Like",
            ["actor"] = actorId,
            ["object"] = instance.Urls.Status(author.Username, status.Id),
        };
        var body = Encoding.UTF8.GetBytes(activity.ToJsonString());
        var request = new HttpRequestMessage(HttpMethod.Post, instance.Urls.SharedInbox) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/activity+json");
        _signer.Sign(request, body, new SigningKey(actorId + "#main-key", remotePrivateKeyPem), DateTimeOffset.UtcNow);
        return request;
    }

    private async Task<Status> PostAsync(LocalAccount author, string text)
    {
        var result = await instance.Services.GetRequiredService<StatusService>().CreateAsync(author, new NewStatus(text), CancellationToken.None);
        return result.Status ?? throw new InvalidOperationException(result.Message);
    }
}
