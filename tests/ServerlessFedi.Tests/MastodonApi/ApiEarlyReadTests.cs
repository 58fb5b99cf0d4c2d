using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi;
using ServerlessFedi.OAuth;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;
using static ServerlessFedi.MastodonApi.ApiResults;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>
/// <see cref="ApiEndpoint"/>'s early read (a handler's first read started beside authentication, keyed by the account
/// id the bearer token names): it starts before the token is checked, reaches the handler only for the account the
/// token authenticates, and a refused token's read is dropped, whatever it found or however it failed.
/// </summary>
[TestClass]
public sealed class ApiEarlyReadTests
{
    private static readonly TestServices Services = TestStorage.Services();

    [TestMethod]
    public async Task The_read_starts_before_the_token_is_checked_and_reaches_the_handler_for_the_account_the_token_names()
    {
        var alice = await CreateAsync("earlyalice");
        var token = await Services.Tokens.IssueAsync(alice.Id, ["read"]);
        var reads = new List<string?>();
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        var running = Endpoint().RunAsync(Bearer(token), ApiAccess.Token("read:statuses"), (string? id) =>
        {
            reads.Add(id);
            return release.Task;
        }, byAccount: true, (ApiRequest r, string value) => Task.FromResult(WireResult.Text(200, value + " for " + r.Account.Id)), CancellationToken.None);

        CollectionAssert.AreEqual(new[] { alice.Id }, reads, "started with the id in front of the token, before authentication");
        Assert.IsFalse(running.IsCompleted, "the answer waits for the read");
        release.SetResult("home of " + alice.Id);
        var result = await running;

        Assert.AreEqual(200, result.Status);
        StringAssert.Contains(result.BodyText, "home of " + alice.Id);
        Assert.AreEqual(1, reads.Count, "the early read was used, not made again");
    }

    [TestMethod]
    public async Task A_token_with_another_accounts_id_gets_401_and_nothing_of_that_accounts_read()
    {
        var alice = await CreateAsync("earlyvictim");
        var mallory = await CreateAsync("earlymallory");
        var malloryToken = await Services.Tokens.IssueAsync(mallory.Id, ["read"]);
        string[] hostile =
        [
            alice.Id + malloryToken[malloryToken.IndexOf('.', StringComparison.Ordinal)..], // mallory's secret under alice's id
            alice.Id + ".",
            alice.Id,
        ];

        foreach (var presented in hostile)
        {
            var handled = false;
            var result = await Endpoint().RunAsync(Bearer(presented), ApiAccess.Token("read:statuses"), (string? id) => Task.FromResult("secret home of " + id), byAccount: true, (ApiRequest _, string _) =>
            {
                handled = true;
                return Task.FromResult(Done());
            }, CancellationToken.None);

            Assert.AreEqual(401, result.Status, presented);
            Assert.IsFalse(handled, presented);
            Assert.IsFalse(result.BodyText.Contains("secret", StringComparison.Ordinal), presented);
        }
    }

    [TestMethod]
    public async Task A_refused_tokens_read_that_fails_is_dropped_quietly()
    {
        var alice = await CreateAsync("earlyfail");
        var unobserved = 0;
        EventHandler<UnobservedTaskExceptionEventArgs> count = (_, e) =>
        {
            if (e.Exception.InnerExceptions.Any(x => x.Message == "early read failed"))
            {
                Interlocked.Increment(ref unobserved);
            }
        };
        TaskScheduler.UnobservedTaskException += count;
        try
        {
            var result = await Endpoint().RunAsync(Bearer(alice.Id + ".not-her-secret"), ApiAccess.Token("read:statuses"),
                (string? _) => Task.FromException<string>(new InvalidOperationException("early read failed")), byAccount: true, (ApiRequest _, string _) => Task.FromResult(Done()), CancellationToken.None);

            Assert.AreEqual(401, result.Status);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Assert.AreEqual(0, unobserved, "the failed read's exception was observed by the pipeline");
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= count;
        }
    }

    [TestMethod]
    public async Task A_token_that_names_no_account_reads_again_for_the_authenticated_one()
    {
        var alice = await CreateAsync("earlyolder");
        var older = OAuthSecrets.NewToken();
        var hash = AccessTokenStore.Hash(older);
        var oauth = await Services.Tables.GetAsync(StorageNames.OAuthTable);
        var (pk, rk) = StorageKeys.AccessToken(hash);
        await oauth.AddEntityAsync(new TableEntity(pk, rk) { ["AccountId"] = alice.Id, ["Scopes"] = "read", ["CreatedAt"] = DateTimeOffset.UtcNow });
        var reads = new List<string?>();

        var result = await Endpoint().RunAsync(Bearer(older), ApiAccess.Token("read:statuses"), (string? id) =>
        {
            reads.Add(id);
            return Task.FromResult("home of " + (id ?? "nobody"));
        }, byAccount: true, (ApiRequest _, string value) => Task.FromResult(WireResult.Text(200, value)), CancellationToken.None);

        Assert.AreEqual(200, result.Status);
        CollectionAssert.AreEqual(new[] { alice.Id }, reads, "nothing to start early with: read once authenticated");
        StringAssert.Contains(result.BodyText, "home of " + alice.Id);
    }

    [TestMethod]
    public async Task An_anonymous_caller_of_an_optional_token_endpoint_gets_the_read_made_for_nobody()
    {
        var reads = new List<string?>();

        var result = await Endpoint().RunAsync(new DefaultHttpContext().Request, ApiAccess.OptionalToken("read:statuses"), (string? id) =>
        {
            reads.Add(id);
            return Task.FromResult("public page");
        }, byAccount: false, (ApiRequest r, string value) => Task.FromResult(WireResult.Text(200, value + (r.Viewer is null ? " for nobody" : ""))), CancellationToken.None);

        Assert.AreEqual(200, result.Status);
        CollectionAssert.AreEqual(new string?[] { null }, reads);
        Assert.AreEqual("public page for nobody", result.BodyText);
    }

    [TestMethod]
    public async Task An_anonymous_caller_over_its_rate_limit_costs_no_read()
    {
        var endpoint = Endpoint();
        var reads = 0;
        WireResult? last = null;
        for (var i = 0; i <= ApiRateLimiter.AddressLimit; i++)
        {
            last = await endpoint.RunAsync(new DefaultHttpContext().Request, ApiAccess.OptionalToken("read:statuses"), (string? _) =>
            {
                Interlocked.Increment(ref reads);
                return Task.FromResult("public page");
            }, byAccount: false, (ApiRequest _, string value) => Task.FromResult(WireResult.Text(200, value)), CancellationToken.None);
        }

        Assert.AreEqual(429, last!.Status);
        Assert.AreEqual(ApiRateLimiter.AddressLimit, reads, "the refused request read nothing: anonymous callers are throttled before the read");
    }

    private static ApiEndpoint Endpoint() => ApiEndpointTests.Endpoint(Services);

    private static async Task<LocalAccount> CreateAsync(string username) =>
        (await Services.Accounts.CreateAsync(new NewAccount(username, "Correct-Horse-42-battery", "Agency " + username))).Account!;

    private static HttpRequest Bearer(string token)
    {
        var request = new DefaultHttpContext().Request;
        request.Headers.Authorization = "Bearer " + token;
        return request;
    }
}
