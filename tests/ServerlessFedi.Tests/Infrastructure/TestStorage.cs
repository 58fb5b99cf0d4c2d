using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using ServerlessFedi.Configuration;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Tests.Infrastructure;

/// <summary>
/// Real storage for tests: the Azurite the test script started (or <c>AzureWebJobsStorage</c> from the environment),
/// with a fresh <c>Fedi__StoragePrefix</c> per use so tests never see each other's tables.
/// </summary>
public static class TestStorage
{
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("AzureWebJobsStorage") is { Length: > 0 } cs ? cs : "UseDevelopmentStorage=true";

    /// <summary>A prefix valid for tables, queues and containers: a letter then 7 lower-case letters or digits.</summary>
    public static string NewPrefix() => "t" + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 7);

    public static Dictionary<string, string?> Settings(string prefix, string baseUrl = "https://social.example.test", IDictionary<string, string?>? extra = null)
    {
        var settings = ServerlessFedi.Testing.StandaloneInstance.Settings(ConnectionString, prefix, baseUrl, "Test Instance");
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }

        return settings;
    }

    public static IConfiguration Configuration(string prefix, string baseUrl = "https://social.example.test", IDictionary<string, string?>? extra = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(Settings(prefix, baseUrl, extra)).Build();

    /// <summary>Core services over a fresh prefix, for tests that call core directly.</summary>
    public static TestServices Services(TimeProvider? time = null, string baseUrl = "https://social.example.test", IDictionary<string, string?>? extra = null)
    {
        var prefix = NewPrefix();
        var configuration = Configuration(prefix, baseUrl, extra);
        var options = FediServices.ReadOptions(configuration);
        var account = StorageAccount.FromConfiguration(configuration);
        time ??= TimeProvider.System;
        return new TestServices(prefix, configuration, options, new InstanceUrls(options), account, new FediTables(account, options), time);
    }
}
