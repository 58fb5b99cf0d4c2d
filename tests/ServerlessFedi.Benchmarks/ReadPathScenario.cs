using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.OAuth;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Benchmarks;

/// <summary>
/// Scenario R (issue 13): the read paths apps call most. Seeds four local accounts following each other (the reader,
/// three authors in the reader's list), 210 statuses with a hashtag on every third, a poll on every tenth and a boost
/// of an earlier status on every seventh, the reader's favourites of every fifth, and 40 favourites and boosts of the
/// reader's posts (its notifications). Then, per page kind (home, public, tag, list of 20; notifications of 30; grouped notifications of 40 groups, what Mastodon's own apps read): the
/// first request (cold: nothing of the page read yet in this process); then <see cref="BenchmarkOptions.Warmup"/> rounds
/// of one request of each kind, not measured (a long-running instance serves these pages with its code recompiled at
/// tier 1; the first thousand or so requests run beside that recompilation); then per kind <see cref="BenchmarkOptions.PageRequests"/>
/// warm ones one at a time (transactions, sequential steps, latency, this process's CPU and managed allocations per
/// request: host and client alike, the storage emulator apart), and for home as many again from 8 clients at once.
/// The floor, measured in the same run: one storage point read at a time (p50) and point reads/s with 8 in flight.
/// </summary>
public sealed class ReadPathScenario(BenchInstance instance, StorageCounter counter)
{
    private const int Statuses = 210;

    public async Task<ReadPathResults> RunAsync(int requests, int warmup)
    {
        var (reader, listId, statusId) = await Phase.RunAsync("reads.setup", SeedAsync);
        var table = instance.Storage.Tables.GetTableClient(StorageNames.Table(instance.Services.GetRequiredService<Configuration.FediOptions>().StoragePrefix, StorageNames.StatusesTable));
        var (readP50, readsPerSecond) = await Phase.RunAsync("reads.floor", () => FloorAsync(table, requests * 4));
        var pages = new List<PageResult>();
        (string Name, string Path)[] kinds =
        [
            ("home timeline of 20", "/api/v1/timelines/home?limit=20"),
            ("public timeline of 20", "/api/v1/timelines/public?limit=20"),
            ("tag timeline of 20", "/api/v1/timelines/tag/civic?limit=20"),
            ("list timeline of 20", $"/api/v1/timelines/list/{listId}?limit=20"),
            ("notifications of 30", "/api/v1/notifications?limit=30"),
            ("grouped notifications (v2), 40 groups", "/api/v2/notifications?limit=40"),
        ];
        // Every kind's first request before any warm-up: what a page costs when nothing of it was read yet in this process.
        var colds = new List<(double Transactions, double Steps)>();
        foreach (var (name, path) in kinds)
        {
            var cold = await MeasureAsync($"reads.cold.{name}", path, reader, 1);
            colds.Add((cold.Transactions, cold.Steps));
        }

        instance.HttpPhase = "reads.warmup";
        for (var round = 0; round < warmup; round++)
        {
            foreach (var (_, path) in kinds)
            {
                await GetAsync(path, reader, CancellationToken.None);
            }
        }

        foreach (var ((name, path), cold) in kinds.Zip(colds))
        {
            var warm = await MeasureAsync($"reads.warm.{name}", path, reader, requests, table, StorageKeys.Status(statusId));
            double? perSecond = null;
            if (name.StartsWith("home", StringComparison.Ordinal))
            {
                instance.HttpPhase = "reads.clients";
                var watch = Stopwatch.StartNew();
                await Parallel.ForEachAsync(Enumerable.Range(0, requests * 2), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, ct) => await GetAsync(path, reader, ct));
                perSecond = requests * 2 / watch.Elapsed.TotalSeconds;
            }

            pages.Add(new PageResult(name, cold.Transactions, cold.Steps, warm.Transactions, warm.Steps, warm.Latency, perSecond, warm.Items)
            {
                CpuMs = warm.CpuMs,
                AllocatedKb = warm.AllocatedKb,
                StorageMs = warm.StorageMs,
                MissingReadP50Ms = warm.MissingReadP50Ms,
                ExistingReadP50Ms = warm.ExistingReadP50Ms,
            });
        }

        return new ReadPathResults(readP50, readsPerSecond, pages) { WarmupRequests = warmup * kinds.Length };
    }

    private async Task<PageMeasure> MeasureAsync(string phase, string path, string token, int count, TableClient? floorTable = null, (string Pk, string Rk) floorRow = default)
    {
        instance.HttpPhase = phase;
        var samples = new List<TimeSpan>();
        var missing = new List<TimeSpan>();
        var existing = new List<TimeSpan>();
        var items = 0;
        var cpu = TimeSpan.Zero;
        var allocated = 0L;
        for (var i = 0; i < count; i++)
        {
            if (floorTable is not null)
            {
                // The floor read right before each page request, under the same conditions (Azurite's and this machine's
                // load drift within a run): a missing row's point read and an existing status row's.
                await Phase.RunAsync(phase + ".floor", async () =>
                {
                    missing.Add(await TimeAsync(() => floorTable.GetEntityIfExistsAsync<TableEntity>("baseline", $"missing{i}")));
                    existing.Add(await TimeAsync(() => floorTable.GetEntityIfExistsAsync<TableEntity>(floorRow.Pk, floorRow.Rk)));
                });
            }

            var cpuBefore = Environment.CpuUsage.TotalTime;
            var allocatedBefore = GC.GetTotalAllocatedBytes();

            // Timed until the answer's last byte is read; counting its items (a JSON parse on this side) is not the page's time.
            var watch = Stopwatch.StartNew();
            var body = await GetBodyAsync(path, token, CancellationToken.None);
            samples.Add(watch.Elapsed);
            items = Items(body);
            cpu += Environment.CpuUsage.TotalTime - cpuBefore;
            allocated += GC.GetTotalAllocatedBytes() - allocatedBefore;
        }

        // How long the page waited on storage (at least one of its transactions in flight), per request.
        var storageMs = counter.Busy(phase).TotalMilliseconds / count;
        return new PageMeasure(counter.Count(phase) / (double)count, counter.Steps(phase) / (double)count, Percentiles.Of(samples), items, cpu.TotalMilliseconds / count, allocated / 1024.0 / count)
        {
            StorageMs = storageMs,
            MissingReadP50Ms = Percentiles.Of(missing).MedianMs,
            ExistingReadP50Ms = Percentiles.Of(existing).MedianMs,
        };
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task> read)
    {
        var watch = Stopwatch.StartNew();
        await read();
        return watch.Elapsed;
    }

    private async Task<int> GetAsync(string path, string token, CancellationToken cancellationToken) =>
        Items(await GetBodyAsync(path, token, cancellationToken));

    /// <summary>The entries of a page: an array's, or a grouped notifications answer's groups.</summary>
    private static int Items(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        return root.ValueKind == JsonValueKind.Array ? root.GetArrayLength() : root.GetProperty("notification_groups").GetArrayLength();
    }

    /// <summary>The answer's UTF-8 body as received (no decoding to a string: the client's share of each request stays small).</summary>
    private async Task<byte[]> GetBodyAsync(string path, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await instance.Http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.OK ? body : throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
    }

    private static async Task<(double P50Ms, double PerSecond)> FloorAsync(TableClient table, int count)
    {
        var samples = new List<TimeSpan>();
        for (var i = 0; i < count / 4; i++)
        {
            var watch = Stopwatch.StartNew();
            await table.GetEntityIfExistsAsync<TableEntity>("baseline", $"missing{i}");
            samples.Add(watch.Elapsed);
        }

        var all = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await table.GetEntityIfExistsAsync<TableEntity>("baseline", $"missing{i}", cancellationToken: ct));
        return (Percentiles.Of(samples).MedianMs, count / all.Elapsed.TotalSeconds);
    }

    private async Task<(string Token, string ListId, string StatusId)> SeedAsync()
    {
        var tokens = instance.Services.GetRequiredService<AccessTokenStore>();
        var accounts = new List<(string Id, string Token)>();
        foreach (var name in new[] { "reader", "author1", "author2", "author3" })
        {
            var account = await instance.CreateAccountAsync("rp" + name);
            accounts.Add((account.Id, await tokens.IssueAsync(account.Id, ["read", "write", "follow"])));
        }

        foreach (var (a, b) in from a in accounts from b in accounts where a.Id != b.Id select (a, b))
        {
            await SendAsync(HttpMethod.Post, $"/api/v1/accounts/{b.Id}/follow", a.Token, new { });
        }

        var reader = accounts[0].Token;
        var listId = (await SendAsync(HttpMethod.Post, "/api/v1/lists", reader, new { title = "Authors" })).GetProperty("id").GetString()!;
        await SendAsync(HttpMethod.Post, $"/api/v1/lists/{listId}/accounts", reader, new { account_ids = accounts.Skip(1).Select(a => a.Id).ToArray() });
        var ids = new List<string>();
        for (var i = 0; i < Statuses; i++)
        {
            var author = accounts[1 + i % 3].Token;
            if (i % 7 == 6 && ids.Count > 3)
            {
                await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{ids[i / 2]}/reblog", author, new { });
                continue;
            }

            object body = i % 10 == 0
                ? new { status = $"Poll {i} #civic", poll = new { options = new[] { "yes", "no" }, expires_in = 86_400 } }
                : new { status = i % 3 == 0 ? $"Council notice {i} #civic" : $"Council notice {i}" };
            ids.Add((await SendAsync(HttpMethod.Post, "/api/v1/statuses", author, body)).GetProperty("id").GetString()!);
            if (i % 5 == 0)
            {
                await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{ids[^1]}/favourite", reader, new { });
            }
        }

        for (var i = 0; i < 20; i++)
        {
            var own = (await SendAsync(HttpMethod.Post, "/api/v1/statuses", reader, new { status = $"Reader's post {i}" })).GetProperty("id").GetString()!;
            await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{own}/favourite", accounts[1 + i % 3].Token, new { });
            await SendAsync(HttpMethod.Post, $"/api/v1/statuses/{own}/reblog", accounts[1 + (i + 1) % 3].Token, new { });
        }

        for (var round = 0; round < 10; round++)
        {
            var processed = 0;
            foreach (var queue in instance.Queues.All)
            {
                processed += (await instance.DrainAsync(queue, 1)).Messages;
            }

            if (processed == 0)
            {
                break;
            }
        }

        return (reader, listId, ids[^1]);
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, string token, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await instance.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(text).RootElement.Clone()
            : throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
    }
}
