using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using ServerlessFedi.Benchmarks;
using ServerlessFedi.Storage;
using ServerlessFedi.Testing;

// The committed federation benchmark (docs/PERFORMANCE.md): storage transactions and wall time of an inbound Follow and of
// a post fanned out to many followers, of inbound Create, Like, Announce and Undo, and of the read paths (timelines, notifications), against Azurite (or AzureWebJobsStorage) with loopback fake remote servers.
BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    await Console.Error.WriteLineAsync(BenchmarkOptions.Usage);
    return 2;
}

var connectionString = Environment.GetEnvironmentVariable(StorageAccount.ConnectionName) is { Length: > 0 } cs ? cs : "UseDevelopmentStorage=true";
var prefix = "b" + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 7);
var storage = StorageAccount.FromConfiguration(new ConfigurationBuilder()
    .AddInMemoryCollection(new Dictionary<string, string?> { [StorageAccount.ConnectionName] = connectionString }).Build());

var storagePid = LocalStorageProcess.Find(storage.Tables.Uri);
using var counter = new StorageCounter { AccountName = storage.Tables.AccountName };
using var remoteKey = RSA.Create(2048);
await using var remote = await FakeRemoteServer.StartAsync(remoteKey.ExportSubjectPublicKeyInfoPem());
await using var instance = await BenchInstance.StartAsync(connectionString, prefix);
Console.Error.WriteLine($"Storage prefix {prefix} on {storage.Description}; host {instance.BaseUrl}; remote servers on 127.0.0.1:{remote.Port}.");

try
{
    FollowResults? follow = null;
    FanoutResults? fanout = null;
    IReadOnlyList<ActivityResults>? inbound = null;
    LikeStormResults? likes = null;
    ReadPathResults? reads = null;
    StartupResults? startup = null;
    MemoryResults? memory = null;
    var app = options.Runs('S') || options.Runs('M')
        ? await PublishedApp.LocateAsync(options.App, Path.GetFullPath(Path.Combine(BenchInstance.FunctionsOutputDirectory, "../../../..")))
        : null;
    Dictionary<string, string?> PublishedSettings(string baseUrl) => StandaloneInstance.Settings(connectionString, prefix, baseUrl, "Benchmark");
    WritesResults? writes = null;
    if (options.Runs('A'))
    {
        Console.Error.WriteLine($"Scenario A: {options.Follows} inbound Follows...");
        follow = await new InboundFollowScenario(instance, remote, remoteKey.ExportPkcs8PrivateKeyPem()).RunAsync(options.Follows);
    }

    if (options.Runs('B'))
    {
        Console.Error.WriteLine($"Scenario B: fan-out to {options.Followers} followers on {options.Inboxes} inboxes...");
        fanout = await new FanoutScenario(instance, remote, counter, storagePid)
            .RunAsync(options.Followers, options.Inboxes, options.Concurrency, options.Signatures, options.BaselineReads);
    }

    if (options.Runs('C'))
    {
        Console.Error.WriteLine($"Scenario C: inbound activities, {options.Activities} of each kind...");
        inbound = await new InboundActivityScenario(instance, remote, remoteKey.ExportPkcs8PrivateKeyPem(), storagePid).RunAsync(options.Activities);
    }

    if (options.Runs('D'))
    {
        Console.Error.WriteLine($"Scenario D: {options.Likes} Likes of one post at once...");
        likes = await new LikeStormScenario(instance, remote, remoteKey.ExportPkcs8PrivateKeyPem(), counter).RunAsync(options.Likes, options.Concurrency);
    }

    if (options.Runs('R'))
    {
        Console.Error.WriteLine($"Scenario R: read paths, {options.PageRequests} warm requests per page...");
        reads = await new ReadPathScenario(instance, counter).RunAsync(options.PageRequests, options.Warmup);
    }

    if (app is not null && options.Runs('S'))
    {
        Console.Error.WriteLine($"Scenario S: {options.Starts} cold starts of {app.Directory}...");
        var desk = await instance.CreateAccountAsync("startdesk");
        startup = await new StartupScenario(app, PublishedSettings, desk.Username).RunAsync(options.Starts);
    }

    if (app is not null && options.Runs('M'))
    {
        Console.Error.WriteLine($"Scenario M: {options.Requests:N0} mixed requests against {app.Directory}...");
        memory = await new MemoryScenario(instance, app, PublishedSettings).RunAsync(options.Requests, options.Idle);
    }

    if (options.Runs('W'))
    {
        Console.Error.WriteLine($"Scenario W: {options.Writes} favourites and posts in the request, then {options.Writes} posts' first deliveries...");
        writes = await new WritesScenario(instance, remote, counter).RunAsync(options.Writes);
    }

    var report = new ReportWriter(options, storage.Description, prefix, counter.Snapshot()).Write(follow, fanout, inbound) + likes?.ToMarkdown() + reads?.ToMarkdown()
        + startup?.ToMarkdown() + memory?.ToMarkdown() + writes?.ToMarkdown();
    Console.WriteLine(report);
    if (options.Output is { } output)
    {
        await File.WriteAllTextAsync(output, report);
    }

    if (follow is { Passed: false } || fanout is { Passed: false } || (inbound ?? []).Any(r => !r.Passed) || likes is { Passed: false } || memory is { Passed: false })
    {
        await Console.Error.WriteLineAsync("The product did not do what the scenarios expect; see the MISMATCH rows.");
        return 1;
    }

    return 0;
}
finally
{
    await Phase.RunAsync("cleanup", instance.CleanupAsync);
}
