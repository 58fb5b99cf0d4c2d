using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Federation;

/// <summary>WebFinger look-ups of remote handles, against a second running instance playing the remote server.</summary>
[TestClass]
public sealed class WebFingerClientTests
{
    private static TestInstance _local = null!;
    private static TestInstance _remote = null!;

    [ClassInitialize]
    public static async Task Start(TestContext _)
    {
        _local = await TestInstance.StartAsync();
        _remote = await TestInstance.StartAsync();
        await _remote.CreateAccountAsync("carol", ActorType.Organization, "Carol Council");
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        await _local.DisposeAsync();
        await _remote.DisposeAsync();
    }

    [TestMethod]
    public async Task A_remote_handle_resolves_to_its_actor_with_inboxes()
    {
        var client = _local.Services.GetRequiredService<WebFingerClient>();

        var actor = await client.ResolveAsync("carol", new Uri(_remote.BaseUrl).Authority, CancellationToken.None);

        Assert.IsNotNull(actor);
        Assert.AreEqual($"{_remote.BaseUrl}/users/carol", actor.Id);
        Assert.AreEqual("carol", actor.PreferredUsername);
        Assert.AreEqual($"{_remote.BaseUrl}/inbox", actor.DeliveryInbox);
        Assert.IsNotNull(actor.PublicKeyPem);
    }

    [TestMethod]
    [DataRow("nobody")]
    [DataRow("")]
    public async Task Unknown_or_empty_handles_resolve_to_nothing(string username)
    {
        var client = _local.Services.GetRequiredService<WebFingerClient>();

        Assert.IsNull(await client.ResolveAsync(username, new Uri(_remote.BaseUrl).Authority, CancellationToken.None));
    }

    [TestMethod]
    [DataRow("evil.example/path")]
    [DataRow("a@b")]
    [DataRow("")]
    public async Task Malformed_domains_are_refused_without_a_request(string domain)
    {
        var client = _local.Services.GetRequiredService<WebFingerClient>();

        Assert.IsNull(await client.ResolveAsync("carol", domain, CancellationToken.None));
    }

    [TestMethod]
    public async Task Private_addresses_are_refused_by_the_guarded_client()
    {
        var client = _local.Services.GetRequiredService<WebFingerClient>();

        // 10.0.0.1 is never contacted: the guarded client refuses private targets even in test mode.
        Assert.IsNull(await client.ResolveAsync("carol", "10.0.0.1", CancellationToken.None));
    }
}
