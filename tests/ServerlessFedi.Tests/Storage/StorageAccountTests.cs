using Microsoft.Extensions.Configuration;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Tests.Storage;

/// <summary>Resolution of the <c>AzureWebJobsStorage</c> settings; building clients makes no network call, so none is made here.</summary>
[TestClass]
public sealed class StorageAccountTests
{
    [TestMethod]
    public void Development_storage_connection_string_resolves_to_azurite()
    {
        var account = StorageAccount.FromConfiguration(Configuration(("AzureWebJobsStorage", "UseDevelopmentStorage=true")));

        Assert.Contains("Azurite", account.Description);
        Assert.AreEqual("devstoreaccount1", account.Tables.AccountName);
        Assert.AreEqual("127.0.0.1", account.Blobs.Uri.Host);
        Assert.AreEqual(10000, account.Blobs.Uri.Port);
        Assert.AreEqual(10001, account.Queues.Uri.Port);
        Assert.AreEqual(10002, account.Tables.Uri.Port);
        Assert.AreEqual(account.Queues.Uri, account.RawQueues.Uri);
    }

    [TestMethod]
    public void Connection_string_with_an_account_key_is_described_without_the_key()
    {
        const string key = "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS1ub3QtcmVhbC0xMjM0NTY3ODkwYWJjZGVm";
        var account = StorageAccount.FromConfiguration(Configuration(
            ("AzureWebJobsStorage", $"DefaultEndpointsProtocol=https;AccountName=mystore;AccountKey={key};EndpointSuffix=core.windows.net")));

        Assert.DoesNotContain(key, account.Description);
        Assert.DoesNotContain("AccountKey", account.Description);
        Assert.AreEqual(new Uri("https://mystore.table.core.windows.net/"), account.Tables.Uri);
    }

    [TestMethod]
    public void Account_name_gives_the_public_azure_endpoints()
    {
        var account = StorageAccount.FromConfiguration(Configuration(("AzureWebJobsStorage:accountName", "mystore")));

        Assert.AreEqual(new Uri("https://mystore.table.core.windows.net/"), account.Tables.Uri);
        Assert.AreEqual(new Uri("https://mystore.blob.core.windows.net/"), account.Blobs.Uri);
        Assert.AreEqual(new Uri("https://mystore.queue.core.windows.net/"), account.Queues.Uri);
        Assert.AreEqual(new Uri("https://mystore.queue.core.windows.net/"), account.RawQueues.Uri);
        Assert.Contains("identity-based", account.Description);
        Assert.Contains("mystore", account.Description);
    }

    [TestMethod]
    public void Environment_variables_with_double_underscores_are_read()
    {
        var prefix = $"SFTEST{Guid.NewGuid():N}_";
        Environment.SetEnvironmentVariable(prefix + "AzureWebJobsStorage__accountName", "envstore");
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();

            var account = StorageAccount.FromConfiguration(configuration);

            Assert.AreEqual(new Uri("https://envstore.table.core.windows.net/"), account.Tables.Uri);
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "AzureWebJobsStorage__accountName", null);
        }
    }

    [TestMethod]
    public void Explicit_service_uris_are_used()
    {
        var account = StorageAccount.FromConfiguration(Configuration(
            ("AzureWebJobsStorage:tableServiceUri", "https://tables.example.test/"),
            ("AzureWebJobsStorage:blobServiceUri", "https://blobs.example.test/"),
            ("AzureWebJobsStorage:queueServiceUri", "https://queues.example.test/")));

        Assert.AreEqual(new Uri("https://tables.example.test/"), account.Tables.Uri);
        Assert.AreEqual(new Uri("https://blobs.example.test/"), account.Blobs.Uri);
        Assert.AreEqual(new Uri("https://queues.example.test/"), account.Queues.Uri);
        Assert.AreEqual(new Uri("https://queues.example.test/"), account.RawQueues.Uri);
    }

    [TestMethod]
    public void Explicit_service_uri_overrides_the_one_derived_from_the_account_name()
    {
        var account = StorageAccount.FromConfiguration(Configuration(
            ("AzureWebJobsStorage:accountName", "mystore"),
            ("AzureWebJobsStorage:tableServiceUri", "https://mystore.privatelink.table.core.windows.net/")));

        Assert.AreEqual(new Uri("https://mystore.privatelink.table.core.windows.net/"), account.Tables.Uri);
        Assert.AreEqual(new Uri("https://mystore.blob.core.windows.net/"), account.Blobs.Uri);
    }

    [TestMethod]
    public void Managed_identity_with_client_id_builds_without_network()
    {
        var account = StorageAccount.FromConfiguration(Configuration(
            ("AzureWebJobsStorage:accountName", "mystore"),
            ("AzureWebJobsStorage:credential", "managedidentity"),
            ("AzureWebJobsStorage:clientId", "00000000-0000-0000-0000-000000000001")));

        Assert.AreEqual(new Uri("https://mystore.table.core.windows.net/"), account.Tables.Uri);
    }

    [TestMethod]
    public void System_assigned_managed_identity_builds_without_network()
    {
        var account = StorageAccount.FromConfiguration(Configuration(
            ("AzureWebJobsStorage:accountName", "mystore"),
            ("AzureWebJobsStorage:credential", "ManagedIdentity")));

        Assert.AreEqual(new Uri("https://mystore.queue.core.windows.net/"), account.Queues.Uri);
    }

    [TestMethod]
    public void Nothing_configured_is_refused_with_a_message_naming_the_setting()
    {
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => StorageAccount.FromConfiguration(Configuration()));

        Assert.Contains("AzureWebJobsStorage", ex.Message);
    }

    [TestMethod]
    public void Only_some_service_uris_without_an_account_name_are_refused()
    {
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => StorageAccount.FromConfiguration(Configuration(
            ("AzureWebJobsStorage:tableServiceUri", "https://tables.example.test/"))));

        Assert.Contains("AzureWebJobsStorage", ex.Message);
    }

    [TestMethod]
    public void Blank_connection_string_falls_back_to_identity_settings()
    {
        var account = StorageAccount.FromConfiguration(Configuration(
            ("AzureWebJobsStorage", " "),
            ("AzureWebJobsStorage:accountName", "mystore")));

        Assert.AreEqual(new Uri("https://mystore.blob.core.windows.net/"), account.Blobs.Uri);
    }

    [TestMethod]
    public void Other_connection_name_is_read_and_named()
    {
        var account = StorageAccount.FromConfiguration(Configuration(("Archive:accountName", "archive")), "Archive");
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => StorageAccount.FromConfiguration(Configuration(), "Archive"));

        Assert.AreEqual("archive.table.core.windows.net", account.Tables.Uri.Host);
        Assert.Contains("Archive", ex.Message);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
}
