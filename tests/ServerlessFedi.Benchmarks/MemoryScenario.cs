using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.OAuth;

namespace ServerlessFedi.Benchmarks;

/// <summary>
/// Scenario M (issue 13 item 5): resident memory of the published standalone host (its own process, queue listeners
/// running) over <c>requests</c> mixed requests, <see cref="Concurrency"/> at a time: home and public timelines, a status,
/// a post, a favourite, WebFinger, an actor document, a public profile page, an account and notifications, spread over
/// <see cref="Accounts"/> accounts that follow each other (so every per-process cache holds all of them and no client
/// reaches the API's 300 requests per 5 minutes). VmRSS is read at the first answer, after the setup, after the load and
/// after an idle period; VmHWM gives the peak.
/// </summary>
public sealed class MemoryScenario(BenchInstance instance, PublishedApp app, Func<string, Dictionary<string, string?>> settingsFor)
{
    public const int Accounts = 40;

    public const int Concurrency = 8;

    private static readonly string[] Kinds = ["home", "public", "status", "post", "favourite", "webfinger", "actor", "profile page", "account", "notifications"];

    public async Task<MemoryResults> RunAsync(int requests, TimeSpan idle)
    {
        var accounts = new List<(LocalAccount Account, string Token)>();
        for (var i = 0; i < Accounts; i++)
        {
            var account = await instance.CreateAccountAsync($"memdesk{i}");
            accounts.Add((account, await instance.Services.GetRequiredService<AccessTokenStore>().IssueAsync(account.Id, ["read", "write"])));
        }

        var baseUrl = $"http://127.0.0.1:{PublishedApp.FreePort()}";
        var settings = settingsFor(baseUrl);
        settings["Logging:LogLevel:Default"] = "Warning";
        using var process = app.Start(["serve", "--urls", baseUrl], settings, readError: true);
        _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null);
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency }) { BaseAddress = new Uri(baseUrl) };
            var host = new Uri(baseUrl).Authority;
            var first = await PublishedApp.WaitForAnswerAsync(http, process, new Uri($"{baseUrl}/.well-known/webfinger?resource=acct:memdesk0@{host}"));
            if (first != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"the first WebFinger answer was {(int)first}");
            }

            var atStart = PublishedApp.Memory(process.Id).Rss;

            // Each account follows the next three and posts twice, so homes, notifications and statuses have content.
            var statuses = new ConcurrentBag<string>();
            await Parallel.ForEachAsync(Enumerable.Range(0, Accounts), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, ct) =>
            {
                foreach (var step in Enumerable.Range(1, 3))
                {
                    using var follow = await SendAsync(http, HttpMethod.Post, $"/api/v1/accounts/{accounts[(i + step) % Accounts].Account.Id}/follow", accounts[i].Token, null, ct);
                }

                foreach (var n in Enumerable.Range(0, 2))
                {
                    statuses.Add(await PostAsync(http, accounts[i].Token, $"Setup post {n} of desk {i}.", ct));
                }
            });
            var afterSetup = PublishedApp.Memory(process.Id).Rss;

            var failures = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            var ids = statuses.ToArray();
            var watch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, requests), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, ct) =>
            {
                var (account, token) = accounts[i % Accounts];
                var status = ids[(i / Accounts) % ids.Length];
                var kind = Kinds[(i / 7) % Kinds.Length];
                try
                {
                    if (kind == "post")
                    {
                        await PostAsync(http, token, $"Load post {i}: roadworks on Main Street until Friday.", ct);
                        return;
                    }

                    using var response = kind switch
                    {
                        "home" => await SendAsync(http, HttpMethod.Get, "/api/v1/timelines/home", token, null, ct),
                        "public" => await SendAsync(http, HttpMethod.Get, "/api/v1/timelines/public", token, null, ct),
                        "status" => await SendAsync(http, HttpMethod.Get, $"/api/v1/statuses/{status}", token, null, ct),
                        "favourite" => await SendAsync(http, HttpMethod.Post, $"/api/v1/statuses/{status}/favourite", token, null, ct),
                        "webfinger" => await SendAsync(http, HttpMethod.Get, $"/.well-known/webfinger?resource=acct:{account.Username}@{host}", null, null, ct),
                        "actor" => await SendAsync(http, HttpMethod.Get, $"/users/{account.Username}", null, "application/activity+json", ct),
                        "profile page" => await SendAsync(http, HttpMethod.Get, $"/@{account.Username}", null, "text/html", ct),
                        "account" => await SendAsync(http, HttpMethod.Get, $"/api/v1/accounts/{account.Id}", token, null, ct),
                        _ => await SendAsync(http, HttpMethod.Get, "/api/v1/notifications", token, null, ct),
                    };
                    if (!response.IsSuccessStatusCode)
                    {
                        failures.AddOrUpdate($"{kind} {(int)response.StatusCode}", 1, (_, n) => n + 1);
                    }
                }
                catch (HttpRequestException ex)
                {
                    failures.AddOrUpdate($"{kind} {ex.Message}", 1, (_, n) => n + 1);
                }
            });
            var loadTime = watch.Elapsed;
            var (afterLoad, peak) = PublishedApp.Memory(process.Id);
            await Task.Delay(idle);
            var afterIdle = PublishedApp.Memory(process.Id).Rss;
            return new MemoryResults(requests, Concurrency, Accounts, loadTime, atStart, afterSetup, afterLoad, peak, afterIdle, idle, failures)
            {
                IdleBreakdown = PublishedApp.Breakdown(process.Id),
                IdleMappings = ResidentMappings.Read(process.Id),
            };
        }
        finally
        {
            await PublishedApp.StopAsync(process);
        }
    }

    private static async Task<string> PostAsync(HttpClient http, string token, string text, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/statuses")
        {
            Content = new StringContent(new JsonObject { ["status"] = text, ["visibility"] = "public" }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(body)!["id"]!.GetValue<string>()
            : throw new HttpRequestException($"post answered {(int)response.StatusCode}");
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? token, string? accept, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        var response = await http.SendAsync(request, ct);
        await response.Content.LoadIntoBufferAsync(ct);
        return response;
    }
}
