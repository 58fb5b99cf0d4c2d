using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Signatures;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Benchmarks;

/// <summary>
/// Scenario C: inbound activities other than Follow, each a draft-cavage signed POST to the shared inbox, then one poll of
/// the inbox queue function. Per kind, <c>repetitions</c> activities one at a time: a reply to a local post (mentioning
/// its author); a public post by a remote actor that N local accounts follow (N = 1, 10, 100, disjoint sets); a Like, an
/// Announce and an Undo of that Like of a local post. The remote actors are known to the instance beforehand (their keys
/// were fetched during setup), as for anyone who interacts with the instance regularly; a warm-up round of every kind
/// first pays the once-per-process costs (table creation). Requests are built and signed before a kind's CPU sample starts,
/// so the CPU is the product's (and the storage emulator's), not the driver's signing.
/// </summary>
public sealed class InboundActivityScenario(BenchInstance instance, FakeRemoteServer remote, string remotePrivateKeyPem, int? storagePid)
{
    public const string SetupPhase = "activities.setup";
    public const string WarmupPhase = "activities.warmup";
    public const string VerifyPhase = "activities.verify";

    private const string ActivityContentType = "application/activity+json";
    private const string Public = "https://www.w3.org/ns/activitystreams#Public";

    private readonly HttpSignatureSigner _signer = new();

    /// <summary>Local followers of the remote author in the "post by a followed actor" runs.</summary>
    public static IReadOnlyList<int> FollowerCounts { get; } = [1, 10, 100];

    private StatusStore Statuses => instance.Services.GetRequiredService<StatusStore>();

    public async Task<IReadOnlyList<ActivityResults>> RunAsync(int repetitions)
    {
        var author = await Phase.RunAsync(SetupPhase, () => instance.CreateAccountAsync("newsroom"));
        var post = await Phase.RunAsync(SetupPhase, () => PostAsync(author, "Opening hours change over the holidays."));
        var warmPost = await Phase.RunAsync(SetupPhase, () => PostAsync(author, "Warm-up post."));
        var followerSets = await Phase.RunAsync(SetupPhase, () => CreateFollowersAsync(["warm", .. FollowerCounts.Select(n => $"n{n}")], [1, .. FollowerCounts]));
        var fans = Enumerable.Range(0, repetitions).Select(i => remote.ActorId($"fan{i / 10:D3}{BenchInstance.BenchDomain}", $"f{i}")).ToList();
        var warmFan = remote.ActorId("warmfan" + BenchInstance.BenchDomain, "w0");
        await Phase.RunAsync(SetupPhase, () => KnowActorsAsync([.. fans, warmFan, .. followerSets.Keys]));

        // Warm-up: one of each kind on a post and by actors the measured runs do not use.
        await Phase.RunAsync(WarmupPhase, async () =>
        {
            await SendAsync(Reply(warmFan, author, warmPost, 0));
            await SendAsync(Post(PopularActor("warm"), 0));
            await SendAsync(Interaction("Like", warmFan, author, warmPost, 0));
            await SendAsync(Interaction("Announce", warmFan, author, warmPost, 0));
            await SendAsync(UndoLike(warmFan, author, warmPost, 0));
        });

        var results = new List<ActivityResults>();
        results.Add(await RunKindAsync("reply", "Create: reply to a local post, mentioning its author", fans.Select((fan, i) => Reply(fan, author, post, i)),
            "parent's replies count", repetitions, async () => (await Statuses.GetAsync(post.Id, CancellationToken.None))!.RepliesCount));
        foreach (var n in FollowerCounts)
        {
            var actor = PopularActor($"n{n}");
            var followers = followerSets[actor];
            results.Add(await RunKindAsync($"create{n}", $"Create: post by a remote actor {n} local accounts follow", Enumerable.Range(0, repetitions).Select(i => Post(actor, i)),
                "home timeline rows of its followers", (long)n * repetitions, () => HomeRowsAsync(followers, repetitions)));
        }

        results.Add(await RunKindAsync("like", "Like of a local post", fans.Select((fan, i) => Interaction("Like", fan, author, post, i)),
            "favourites count", repetitions, async () => (await Statuses.GetAsync(post.Id, CancellationToken.None))!.FavouritesCount));
        results.Add(await RunKindAsync("announce", "Announce of a local post", fans.Select((fan, i) => Interaction("Announce", fan, author, post, i)),
            "reblogs count", repetitions, async () => (await Statuses.GetAsync(post.Id, CancellationToken.None))!.ReblogsCount));
        results.Add(await RunKindAsync("undolike", "Undo(Like) of a local post", fans.Select((fan, i) => UndoLike(fan, author, post, i)),
            "favourites count after the Undos", 0, async () => (await Statuses.GetAsync(post.Id, CancellationToken.None))!.FavouritesCount));
        return results;
    }

    private async Task<ActivityResults> RunKindAsync(string name, string label, IEnumerable<(string ActorId, JsonObject Activity)> activities, string check, long expected, Func<Task<long>> recorded)
    {
        var requests = activities.Select(a => Sign(a.ActorId, a.Activity)).ToList();
        var receive = new List<TimeSpan>(requests.Count);
        var processing = new List<TimeSpan>(requests.Count);
        var cpuStart = CpuSample.Take(storagePid);
        foreach (var request in requests)
        {
            var (r, p) = await SendAsync(request, name + ".receive", name + ".inbox");
            receive.Add(r);
            processing.Add(p);
        }

        var cpu = CpuSample.Between(cpuStart, CpuSample.Take(storagePid));
        var actual = await Phase.RunAsync(VerifyPhase, recorded);
        return new ActivityResults(name, label, requests.Count, receive, processing, cpu, check, expected, actual);
    }

    private Task<(TimeSpan Receive, TimeSpan Processing)> SendAsync((string ActorId, JsonObject Activity) activity) =>
        SendAsync(Sign(activity.ActorId, activity.Activity), WarmupPhase, WarmupPhase);

    private async Task<(TimeSpan Receive, TimeSpan Processing)> SendAsync(HttpRequestMessage request, string receivePhase, string inboxPhase)
    {
        using (request)
        {
            instance.HttpPhase = receivePhase;
            var watch = Stopwatch.StartNew();
            using (var response = await instance.Http.SendAsync(request))
            {
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    throw new InvalidOperationException($"{receivePhase}: the shared inbox answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }

            var received = watch.Elapsed;
            await Phase.RunAsync(inboxPhase, async () =>
            {
                for (var empty = 0; empty < 100; empty++)
                {
                    if (await instance.PollOnceAsync(instance.Queues.Inbox) > 0)
                    {
                        return;
                    }
                }

                throw new InvalidOperationException("No message arrived on the inbox queue.");
            });
            return (received, watch.Elapsed - received);
        }
    }

    private HttpRequestMessage Sign(string actorId, JsonObject activity)
    {
        var body = Encoding.UTF8.GetBytes(activity.ToJsonString());
        var request = new HttpRequestMessage(HttpMethod.Post, instance.Urls.SharedInbox) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", ActivityContentType);
        _signer.Sign(request, body, new SigningKey(actorId + "#main-key", remotePrivateKeyPem), DateTimeOffset.UtcNow);
        return request;
    }

    private async Task<Status> PostAsync(LocalAccount author, string text)
    {
        var result = await instance.Services.GetRequiredService<StatusService>().CreateAsync(author, new NewStatus(text), CancellationToken.None);
        return result.Status ?? throw new InvalidOperationException(result.Message);
    }

    /// <summary>One remote author per set (<c>popular.bench.invalid/users/{name}</c>), followed (accepted) by its own new local accounts.</summary>
    private async Task<Dictionary<string, IReadOnlyList<LocalAccount>>> CreateFollowersAsync(IReadOnlyList<string> names, IReadOnlyList<int> sizes)
    {
        var following = instance.Services.GetRequiredService<FollowingStore>();
        var sets = new Dictionary<string, IReadOnlyList<LocalAccount>>(StringComparer.Ordinal);
        var next = 0;
        for (var s = 0; s < names.Count; s++)
        {
            var actor = PopularActor(names[s]);
            var accounts = new List<LocalAccount>();
            for (var i = 0; i < sizes[s]; i++)
            {
                var account = await instance.CreateAccountAsync($"reader{next++:D3}");
                await following.AddAsync(account.Id, actor, RemoteAccountIds.For(actor), $"{instance.Urls.Actor(account.Username)}#follows/{names[s]}", accepted: true, CancellationToken.None);
                accounts.Add(account);
            }

            sets[actor] = accounts;
        }

        return sets;
    }

    private string PopularActor(string name) => remote.ActorId("popular" + BenchInstance.BenchDomain, name);

    /// <summary>Fetches and caches each actor and its key, as earlier contact would have.</summary>
    private async Task KnowActorsAsync(IEnumerable<string> actorIds)
    {
        var resolver = instance.Services.GetRequiredService<RemoteActorResolver>();
        foreach (var actorId in actorIds)
        {
            _ = await resolver.ResolveAsync(actorId + "#main-key", refresh: false, CancellationToken.None)
                ?? throw new InvalidOperationException($"the key of {actorId} could not be resolved");
        }
    }

    private async Task<long> HomeRowsAsync(IReadOnlyList<LocalAccount> followers, int repetitions)
    {
        var timelines = instance.Services.GetRequiredService<TimelineStore>();
        long rows = 0;
        foreach (var follower in followers)
        {
            rows += (await timelines.PageAsync(TimelineStore.Home(follower.Id), null, null, null, repetitions + 1, CancellationToken.None)).Count;
        }

        return rows;
    }

    private (string, JsonObject) Reply(string actorId, LocalAccount author, Status parent, int i)
    {
        var note = Note(actorId, i, "<p><span class=\"h-card\"><a href=\"" + instance.Urls.Profile(author.Username) + "\" class=\"u-url mention\">@<span>"
            + author.Username + "</span></a></span> Thank you, will the library open on the 27th as well?</p>");
        var authorActor = instance.Urls.Actor(author.Username);
        note["inReplyTo"] = instance.Urls.Status(author.Username, parent.Id);
        note["to"] = new JsonArray(Public);
        note["cc"] = new JsonArray(actorId + "/followers", authorActor);
        note["tag"] = new JsonArray(new JsonObject { ["type"] = "Mention", ["href"] = authorActor, ["name"] = $"@{author.Username}@{instance.Urls.AccountDomain}" });
        return (actorId, Create(actorId, note));
    }

    private static (string, JsonObject) Post(string actorId, int i)
    {
        var note = Note(actorId, i, "<p>" + string.Concat(Enumerable.Repeat("The council meets on Tuesday; the agenda is online. ", 4)) + "</p>");
        note["to"] = new JsonArray(Public);
        note["cc"] = new JsonArray(actorId + "/followers");
        return (actorId, Create(actorId, note));
    }

    private (string, JsonObject) Interaction(string type, string actorId, LocalAccount author, Status status, int i)
    {
        var activity = new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = $"{actorId}/{type.ToLowerInvariant()}s/{status.Id}-{i}",
            ["type"] = type,
            ["actor"] = actorId,
            ["object"] = instance.Urls.Status(author.Username, status.Id),
        };
        if (type == "Announce")
        {
            activity["to"] = new JsonArray(Public);
            activity["cc"] = new JsonArray(instance.Urls.Actor(author.Username), actorId + "/followers");
            activity["published"] = Published();
        }

        return (actorId, activity);
    }

    private (string, JsonObject) UndoLike(string actorId, LocalAccount author, Status status, int i)
    {
        var (_, like) = Interaction("Like", actorId, author, status, i);
        like.Remove("@context");
        return (actorId, new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = $"{actorId}/likes/{status.Id}-{i}/undo",
            ["type"] = "Undo",
            ["actor"] = actorId,
            ["object"] = like,
        });
    }

    private static JsonObject Note(string actorId, int i, string content) => new()
    {
        ["id"] = $"{actorId}/statuses/{Guid.NewGuid():N}{i.ToString(CultureInfo.InvariantCulture)}",
        ["type"] = "Note",
        ["attributedTo"] = actorId,
        ["published"] = Published(),
        ["sensitive"] = false,
        ["content"] = content,
    };

    private static JsonObject Create(string actorId, JsonObject note) => new()
    {
        ["@context"] = "https://www.w3.org/ns/activitystreams",
        ["id"] = note["id"]!.GetValue<string>() + "/activity",
        ["type"] = "Create",
        ["actor"] = actorId,
        ["published"] = note["published"]!.GetValue<string>(),
        ["to"] = note["to"]!.DeepClone(),
        ["cc"] = note["cc"]!.DeepClone(),
        ["object"] = note,
    };

    private static string Published() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
