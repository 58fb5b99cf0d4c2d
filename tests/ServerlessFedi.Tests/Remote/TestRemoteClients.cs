using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Configuration;
using ServerlessFedi.Remote;

namespace ServerlessFedi.Tests.Remote;

/// <summary>Builds <see cref="RemoteClient"/>s wired to a <see cref="FakeNetwork"/> and a fake clock.</summary>
internal static class TestRemoteClients
{
    /// <summary>A name reserved for testing: AllowPrivateNetworks is refused with a public one.</summary>
    public const string BaseUrl = "https://social.example.test";

    /// <summary>Upper bound for awaiting anything in these tests, so a bug fails a test instead of hanging the run.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(15);

    public static readonly DateTimeOffset Now = new(2026, 10, 21, 7, 26, 30, TimeSpan.Zero);

    public static RemoteClient Create(bool allowPrivateNetworks, FakeNetwork network, FakeTimeProvider time)
    {
        var options = new FediOptions { BaseUrl = BaseUrl, AllowPrivateNetworks = allowPrivateNetworks };
        return new RemoteClient(
            options,
            new InstanceUrls(options),
            time,
            NullLogger<RemoteClient>.Instance,
            RemoteClientLimits.Default,
            network.ResolveAsync,
            network.ConnectAsync);
    }
}
