using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi;
using ServerlessFedi.OAuth;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.OAuth;

/// <summary>
/// Tokens that name their account (<c>{accountId}.{secret}</c>, row beside the account row): the bearer's token and
/// account are one storage transaction; the id in front grants nothing (hostile variants find nothing and change
/// nothing); tokens issued before keep working; revocation and listings see the new rows.
/// </summary>
[TestClass]
public sealed class AccountTokenTests
{
    private static readonly StorageTransactions Transactions = new();
    private static int _tags;

    [ClassCleanup]
    public static void Stop() => Transactions.Dispose();

    [TestMethod]
    public async Task A_write_is_authenticated_with_its_account_row_in_one_storage_transaction()
    {
        var services = TestStorage.Services();
        var agency = await CreateAsync(services, "tokwrite");
        var earlier = await services.Tokens.IssueAsync(agency.Id, ["read"]);
        var token = await services.Tokens.IssueAsync(agency.Id, ["write"]);
        var later = await services.Tokens.IssueAsync(agency.Id, ["read"]);

        var ((account, grant, failure), transactions) = await CountedAsync(() => Auth(services).AuthenticateAsync(Bearer(token), "write:statuses", CancellationToken.None));

        Assert.IsNull(failure);
        Assert.AreEqual(agency.Id, account!.Id);
        Assert.AreEqual("tokwrite", account.Username);
        Assert.IsNotNull(account.ETag, "the row as storage holds it: a write can merge on its ETag");
        CollectionAssert.AreEqual(new[] { "write" }, grant!.Scopes.ToArray());
        Assert.AreEqual(1, transactions, "token and account in one range query (before: 2 point reads)");
        foreach (var other in new[] { earlier, later })
        {
            var (_, otherGrant, _) = await Auth(services).AuthenticateAsync(Bearer(other), "read:statuses", CancellationToken.None);
            CollectionAssert.AreEqual(new[] { "read" }, otherGrant!.Scopes.ToArray(), "the account's other tokens in the range are not taken for this one");
        }
    }

    [TestMethod]
    public async Task A_token_with_another_accounts_id_or_a_forged_secret_is_refused_and_changes_nothing()
    {
        var services = TestStorage.Services();
        var alice = await CreateAsync(services, "tokalice");
        var bob = await CreateAsync(services, "tokbob");
        var aliceToken = await services.Tokens.IssueAsync(alice.Id, ["read", "write"]);
        var bobToken = await services.Tokens.IssueAsync(bob.Id, ["read"]);
        var secret = aliceToken[(aliceToken.IndexOf('.', StringComparison.Ordinal) + 1)..];
        var before = await RowsAsync(services);

        string[] hostile =
        [
            bob.Id + "." + secret,                                      // alice's secret under bob's id
            alice.Id + "." + bobToken[(bobToken.IndexOf('.', StringComparison.Ordinal) + 1)..], // bob's secret under alice's id
            alice.Id + "." + secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A'), // one character changed
            alice.Id + "." + AccessTokenStore.Hash(aliceToken),         // the stored hash presented as the secret
            alice.Id + "~" + AccessTokenStore.Hash(aliceToken),         // the row key presented as the token
            alice.Id,                                                   // the id alone
            alice.Id + ".",                                             // the id and nothing
            secret,                                                     // the secret alone
            "1' or RowKey ge '0." + secret,                             // filter injection in the id
            alice.Id + "' or PartitionKey ne '." + secret,
            "0" + alice.Id[1..] + "." + secret,                         // a neighbouring id
            alice.Id + ".." + secret,
            alice.Id + "." + secret + "." + secret,
        ];
        foreach (var presented in hostile)
        {
            var (account, grant, failure) = await Auth(services).AuthenticateAsync(Bearer(presented), "read:statuses", CancellationToken.None);
            Assert.IsNull(account, presented);
            Assert.IsNull(grant, presented);
            Assert.AreEqual(401, failure!.Status, presented);
            Assert.IsNull(await services.Tokens.FindAsync(presented), presented);
            Assert.IsFalse(await services.Tokens.RevokeAsync(presented), presented);
        }

        CollectionAssert.AreEquivalent(before, await RowsAsync(services), "nothing written or removed");
        Assert.AreEqual(alice.Id, (await services.Tokens.FindAsync(aliceToken))!.AccountId);
    }

    [TestMethod]
    public async Task A_token_issued_before_tokens_named_their_account_still_authenticates_and_is_revoked_with_the_account()
    {
        var services = TestStorage.Services();
        var agency = await CreateAsync(services, "tokolder");
        var older = OAuthSecrets.NewToken();
        var hash = AccessTokenStore.Hash(older);
        var oauth = await services.Tables.GetAsync(StorageNames.OAuthTable);
        var (pk, rk) = StorageKeys.AccessToken(hash);
        await oauth.AddEntityAsync(new TableEntity(pk, rk) { ["AccountId"] = agency.Id, ["Scopes"] = "read write", ["CreatedAt"] = DateTimeOffset.UtcNow });
        var (apk, ark) = StorageKeys.AccountToken(agency.Id, hash);
        await oauth.AddEntityAsync(new TableEntity(apk, ark) { ["CreatedAt"] = DateTimeOffset.UtcNow });
        var newer = await services.Tokens.IssueAsync(agency.Id, ["read"]);

        var ((account, _, failure), transactions) = await CountedAsync(() => Auth(services).AuthenticateAsync(Bearer(older), "write:statuses", CancellationToken.None));
        Assert.IsNull(failure);
        Assert.AreEqual(agency.Id, account!.Id);
        Assert.AreEqual(2, transactions, "an older token: its row, then the account");

        Assert.AreEqual(2, await services.Tokens.RevokeAllAsync(agency.Id));

        foreach (var token in new[] { older, newer })
        {
            Assert.IsNull(await services.Tokens.FindAsync(token));
            Assert.AreEqual(401, (await Auth(services).AuthenticateAsync(Bearer(token), "read:statuses", CancellationToken.None)).Failure!.Status);
        }

        var accounts = await services.Tables.GetAsync(StorageNames.AccountsTable);
        Assert.IsFalse((await accounts.GetEntityIfExistsAsync<TableEntity>(StorageKeys.AccountPartition, StorageKeys.AccountAccessToken(agency.Id, AccessTokenStore.Hash(newer)).Rk)).HasValue);
        Assert.IsTrue((await accounts.GetEntityIfExistsAsync<TableEntity>(StorageKeys.AccountPartition, agency.Id)).HasValue, "the account row stays");
    }

    [TestMethod]
    public async Task A_revoked_token_is_refused_at_once_and_the_accounts_other_tokens_keep_working()
    {
        var services = TestStorage.Services();
        var agency = await CreateAsync(services, "tokrevoke");
        var revoked = await services.Tokens.IssueAsync(agency.Id, ["read"]);
        var kept = await services.Tokens.IssueAsync(agency.Id, ["read"]);
        Assert.IsNull((await Auth(services).AuthenticateAsync(Bearer(revoked), "read:statuses", CancellationToken.None)).Failure);

        Assert.IsTrue(await services.Tokens.RevokeAsync(revoked));

        Assert.AreEqual(401, (await Auth(services).AuthenticateAsync(Bearer(revoked), "read:statuses", CancellationToken.None)).Failure!.Status);
        Assert.IsNull((await Auth(services).AuthenticateAsync(Bearer(kept), "read:statuses", CancellationToken.None)).Failure);
    }

    [TestMethod]
    public async Task A_deleted_accounts_token_row_left_behind_authenticates_nobody()
    {
        var services = TestStorage.Services();
        var agency = await CreateAsync(services, "tokdeleted");
        var token = await services.Tokens.IssueAsync(agency.Id, ["read", "write"]);

        await services.Accounts.MarkDeletedAsync(agency, DateTimeOffset.UtcNow);

        Assert.AreEqual(401, (await Auth(services).AuthenticateAsync(Bearer(token), "write:statuses", CancellationToken.None)).Failure!.Status);
        Assert.AreEqual(401, (await Auth(services).AuthenticateAsync(Bearer(token), "read:statuses", CancellationToken.None)).Failure!.Status);
    }

    [TestMethod]
    public async Task Listings_of_local_accounts_skip_the_tokens_beside_them()
    {
        var services = TestStorage.Services();
        var first = await CreateAsync(services, "toklista", discoverable: true);
        var second = await CreateAsync(services, "toklistb", discoverable: true);
        foreach (var id in new[] { first.Id, second.Id, first.Id })
        {
            await services.Tokens.IssueAsync(id, ["read"]);
        }

        var listed = new List<string>();
        await foreach (var account in services.AccountListings.ListAsync())
        {
            listed.Add(account.Id);
        }

        CollectionAssert.AreEqual(new[] { first.Id, second.Id }, listed);
        Assert.AreEqual(2, (await services.AccountListings.GetTotalsAsync()).Users);
        CollectionAssert.AreEqual(new[] { first.Id, second.Id }, (await services.AccountListings.ListCreatedAsync(CancellationToken.None)).Select(r => r.Id).ToArray());
        var page = await services.AccountListings.ListDirectoryAsync(null, 1);
        Assert.AreEqual(first.Id, page.Accounts.Single().Id);
        var next = await services.AccountListings.ListDirectoryAsync(page.NextAfter, 1);
        Assert.AreEqual(second.Id, next.Accounts.Single().Id, "the cursor is an account id, never a token row");
    }

    private static async Task<LocalAccount> CreateAsync(TestServices services, string username, bool discoverable = false)
    {
        var created = (await services.Accounts.CreateAsync(new NewAccount(username, "Correct-Horse-42-battery", "Agency " + username))).Account!;
        if (discoverable)
        {
            var table = await services.Tables.GetAsync(StorageNames.AccountsTable);
            await table.UpdateEntityAsync(new TableEntity(StorageKeys.AccountPartition, created.Id) { ["Discoverable"] = true }, Azure.ETag.All, TableUpdateMode.Merge);
        }

        return created;
    }

    private static ApiAuth Auth(TestServices services) =>
        new(services.Tokens, services.Accounts, new ApiRateLimiter(TimeProvider.System, new ClientAddress(new FediOptions { BaseUrl = "https://social.example.test" })));

    private static HttpRequest Bearer(string token)
    {
        var request = new DefaultHttpContext().Request;
        request.Headers.Authorization = "Bearer " + token;
        return request;
    }

    private static async Task<(T Result, int Transactions)> CountedAsync<T>(Func<Task<T>> action)
    {
        var tag = "token" + Interlocked.Increment(ref _tags);
        StorageTransactions.TagFlow(tag);
        try
        {
            var result = await action();
            return (result, Transactions.Of(tag));
        }
        finally
        {
            StorageTransactions.TagFlow(null);
        }
    }

    private static async Task<List<string>> RowsAsync(TestServices services)
    {
        var rows = new List<string>();
        foreach (var name in new[] { StorageNames.OAuthTable, StorageNames.AccountsTable })
        {
            var table = await services.Tables.GetAsync(name);
            await foreach (var row in table.QueryAsync<TableEntity>())
            {
                rows.Add($"{name} {row.PartitionKey} {row.RowKey} {row.ETag}");
            }
        }

        return rows;
    }
}
