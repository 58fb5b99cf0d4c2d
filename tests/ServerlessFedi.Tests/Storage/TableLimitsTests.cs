using Azure;
using Azure.Data.Tables;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Storage;

/// <summary>
/// Azurite stores entities Azure refuses; the table clients check Azure's limits against the emulator, so a store that
/// writes too much fails here as it would on Azure (PropertyValueTooLarge on every retry of an inbox message, for instance).
/// </summary>
[TestClass]
public sealed class TableLimitsTests
{
    private static TableClient _table = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        var services = TestStorage.Services();
        _table = await services.Tables.GetAsync(StorageNames.StatusesTable);
    }

    [TestMethod]
    public async Task A_string_property_of_32768_characters_is_stored_and_one_more_is_refused_as_Azure_refuses_it()
    {
        await _table.UpsertEntityAsync(new TableEntity("limits", "fits") { ["Text"] = new string('ü', TableLimits.MaxStringChars) });

        var refused = await Assert.ThrowsAsync<RequestFailedException>(() =>
            _table.UpsertEntityAsync(new TableEntity("limits", "over") { ["Text"] = new string('ü', TableLimits.MaxStringChars + 1) }));

        Assert.AreEqual(400, refused.Status);
        Assert.AreEqual("PropertyValueTooLarge", refused.ErrorCode);
        Assert.IsFalse((await _table.GetEntityIfExistsAsync<TableEntity>("limits", "over")).HasValue);
    }

    [TestMethod]
    public async Task An_entity_over_one_mebibyte_is_refused_even_when_each_property_fits()
    {
        var entity = new TableEntity("limits", "big");
        for (var i = 0; i < 17; i++)
        {
            entity[$"Part{i}"] = new string('x', TableLimits.MaxStringChars);
        }

        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => _table.AddEntityAsync(entity));

        Assert.AreEqual("EntityTooLarge", refused.ErrorCode);
    }

    [TestMethod]
    public async Task Entities_in_a_transaction_are_checked_too()
    {
        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => _table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("limits-batch", "a") { ["Text"] = "small" }),
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("limits-batch", "b") { ["Text"] = new string('x', 40_000) }),
        ]));

        Assert.AreEqual("PropertyValueTooLarge", refused.ErrorCode);
        Assert.IsFalse((await _table.GetEntityIfExistsAsync<TableEntity>("limits-batch", "a")).HasValue);
    }

    [TestMethod]
    public async Task Keys_longer_than_1024_characters_or_with_forbidden_characters_are_refused()
    {
        var longKey = await Assert.ThrowsAsync<RequestFailedException>(() => _table.UpsertEntityAsync(new TableEntity("limits", new string('k', 1025))));
        var slash = await Assert.ThrowsAsync<RequestFailedException>(() => _table.UpsertEntityAsync(new TableEntity("tag-a/b", "1")));

        Assert.AreEqual("OutOfRangeInput", longKey.ErrorCode);
        Assert.AreEqual("InvalidInput", slash.ErrorCode);
    }

    [TestMethod]
    public void Binary_properties_and_property_counts_follow_the_same_rules()
    {
        using var binary = System.Text.Json.JsonDocument.Parse(
            $$"""{"PartitionKey":"p","RowKey":"r","Key@odata.type":"Edm.Binary","Key":"{{Convert.ToBase64String(new byte[70_000])}}"}""");
        var many = "{\"PartitionKey\":\"p\",\"RowKey\":\"r\"," + string.Join(',', Enumerable.Range(0, 253).Select(i => $"\"P{i}\":1")) + "}";
        using var tooMany = System.Text.Json.JsonDocument.Parse(many);

        Assert.AreEqual("PropertyValueTooLarge", TableLimits.Check(binary.RootElement)?.Code);
        Assert.AreEqual("TooManyProperties", TableLimits.Check(tooMany.RootElement)?.Code);
    }
}
