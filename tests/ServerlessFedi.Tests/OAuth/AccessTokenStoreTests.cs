using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.OAuth;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.OAuth;

[TestClass]
public sealed class AccessTokenStoreTests
{
    private const string AccountId = "111111111111111111";

    private static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public async Task Issued_token_is_found_with_its_account_and_scopes()
    {
        var services = TestStorage.Services(new FakeTimeProvider(Start));

        var token = await services.Tokens.IssueAsync(AccountId, ["read", "write:statuses"], applicationId: "app1", description: "bot");
        var found = await services.Tokens.FindAsync(token);

        Assert.IsNotNull(found);
        Assert.AreEqual(AccountId, found.AccountId);
        CollectionAssert.AreEqual(new[] { "read", "write:statuses" }, found.Scopes.ToArray());
        Assert.AreEqual("app1", found.ApplicationId);
        Assert.AreEqual("bot", found.Description);
        Assert.AreEqual(Start, found.CreatedAt);
        Assert.IsNull(found.ExpiresAt);
    }

    [TestMethod]
    public async Task Token_is_the_account_id_and_43_base64url_characters_and_unique()
    {
        var services = TestStorage.Services();

        var first = await services.Tokens.IssueAsync(AccountId, ["read"]);
        var second = await services.Tokens.IssueAsync(AccountId, ["read"]);

        Assert.MatchesRegex("^111111111111111111\\.[A-Za-z0-9_-]{43}$", first, "an account's token names it, then 256 random bits");
        Assert.MatchesRegex("^[A-Za-z0-9_-]{43}$", await services.Tokens.IssueAsync("", ["read"]), "an application's token names nothing");
        Assert.AreNotEqual(first, second);
        Assert.AreEqual(AccountId, (await services.Tokens.FindAsync(second))?.AccountId);
    }

    [TestMethod]
    public async Task Plaintext_token_is_stored_nowhere()
    {
        var services = TestStorage.Services();
        var token = await services.Tokens.IssueAsync(AccountId, ["read", "write"], description: "automation");
        var entities = 0;
        foreach (var name in new[] { StorageNames.OAuthTable, StorageNames.AccountsTable })
        {
            var table = await services.Tables.GetAsync(name);
            await foreach (var entity in table.QueryAsync<TableEntity>())
            {
                entities++;
                Assert.DoesNotContain(token, entity.PartitionKey);
                Assert.DoesNotContain(token, entity.RowKey);
                foreach (var (property, value) in entity)
                {
                    var text = value switch
                    {
                        byte[] bytes => Convert.ToBase64String(bytes) + " " + System.Text.Encoding.UTF8.GetString(bytes),
                        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
                    };
                    Assert.DoesNotContain(token, text, $"property {property} of {entity.PartitionKey}/{entity.RowKey} holds the token");
                    Assert.DoesNotContain(token[19..], text, $"property {property} of {entity.PartitionKey}/{entity.RowKey} holds the secret");
                }
            }
        }

        Assert.AreEqual(2, entities, "a token row beside the account and a per-account row");
    }

    [TestMethod]
    public async Task Expired_token_is_not_found()
    {
        var time = new FakeTimeProvider(Start);
        var services = TestStorage.Services(time);
        var token = await services.Tokens.IssueAsync(AccountId, ["read"]);
        var table = await services.Tables.GetAsync(StorageNames.AccountsTable);
        var (pk, rk) = StorageKeys.AccountAccessToken(AccountId, AccessTokenStore.Hash(token));
        await table.UpdateEntityAsync(new TableEntity(pk, rk) { ["ExpiresAt"] = Start.AddHours(1) }, Azure.ETag.All, TableUpdateMode.Merge);

        time.Advance(TimeSpan.FromMinutes(59));
        Assert.AreEqual(Start.AddHours(1), (await services.Tokens.FindAsync(token))?.ExpiresAt);

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.IsNull(await services.Tokens.FindAsync(token));
    }

    [TestMethod]
    public async Task Unknown_token_is_not_found()
    {
        var services = TestStorage.Services();
        var token = await services.Tokens.IssueAsync(AccountId, ["read"]);

        Assert.IsNull(await services.Tokens.FindAsync(token + "x"));
        Assert.IsNull(await services.Tokens.FindAsync(token[..^1]));
        Assert.IsNull(await services.Tokens.FindAsync("not-a-token"));
    }

    [TestMethod]
    public async Task Empty_and_overlong_tokens_are_not_found_without_throwing()
    {
        var services = TestStorage.Services();
        await services.Tokens.IssueAsync(AccountId, ["read"]);

        Assert.IsNull(await services.Tokens.FindAsync(""));
        Assert.IsNull(await services.Tokens.FindAsync(new string('a', 1_000)));
        Assert.IsNull(await services.Tokens.FindAsync("../../x#?/\\"));
    }

    [TestMethod]
    public async Task Lookup_before_any_token_was_issued_finds_nothing()
    {
        var services = TestStorage.Services();

        Assert.IsNull(await services.Tokens.FindAsync("abc"));
    }

    [TestMethod]
    public async Task Revoked_token_is_not_found_and_its_account_row_is_gone()
    {
        var services = TestStorage.Services();
        var token = await services.Tokens.IssueAsync(AccountId, ["read"]);
        var kept = await services.Tokens.IssueAsync(AccountId, ["write"]);
        var table = await services.Tables.GetAsync(StorageNames.OAuthTable);
        var accountPartition = StorageKeys.AccountToken(AccountId, "").Pk;
        Assert.AreEqual(2, await CountAsync(table, accountPartition));

        Assert.IsTrue(await services.Tokens.RevokeAsync(token));

        Assert.IsNull(await services.Tokens.FindAsync(token));
        Assert.AreEqual(1, await CountAsync(table, accountPartition));
        var (_, removedRow) = StorageKeys.AccountToken(AccountId, AccessTokenStore.Hash(token));
        Assert.IsFalse((await table.GetEntityIfExistsAsync<TableEntity>(accountPartition, removedRow)).HasValue);
        Assert.IsNotNull(await services.Tokens.FindAsync(kept));
    }

    [TestMethod]
    public async Task Revoking_twice_or_an_unknown_token_reports_false()
    {
        var services = TestStorage.Services();
        var token = await services.Tokens.IssueAsync(AccountId, ["read"]);

        Assert.IsTrue(await services.Tokens.RevokeAsync(token));
        Assert.IsFalse(await services.Tokens.RevokeAsync(token));
        Assert.IsFalse(await services.Tokens.RevokeAsync("unknown"));
    }

    private static async Task<int> CountAsync(TableClient table, string partition)
    {
        var count = 0;
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition))
        {
            count++;
        }

        return count;
    }
}
