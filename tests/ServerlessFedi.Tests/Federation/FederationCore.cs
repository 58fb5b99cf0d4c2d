using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ServerlessFedi.Accounts;
using ServerlessFedi.Federation;
using ServerlessFedi.Remote;
using ServerlessFedi.Signatures;
using ServerlessFedi.Storage;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Federation;

/// <summary>
/// The federation services of core wired by hand over a fresh storage prefix on Azurite and a fake clock, with a remote client
/// whose name resolver maps test host names to 127.0.0.1 (anything else does not resolve) and whose connector refuses every
/// address outside 127.0.0.0/8, so nothing leaves the machine. Queues are read back raw, as the queue trigger sees them.
/// </summary>
internal sealed class FederationCore : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly ConcurrentDictionary<string, IPAddress[]> _hosts = new(StringComparer.OrdinalIgnoreCase);

    public FederationCore(Action<Azure.Core.ClientOptions>? storageOptions = null)
    {
        Time = new FakeTimeProvider(Start);
        Services = TestStorage.Services(Time, storageOptions: storageOptions);
        Queues = FederationQueues.FromConfiguration(Services.Configuration);
        Work = new WorkQueue(Services.Account, Queues);
        Payloads = new PayloadStore(Services.Account, Services.Options, Time);
        Followers = new FollowerStore(Services.Tables, Services.Accounts, Time);
        Health = new DeliveryHealth(Services.Tables, Time);
        var following = new FollowingStore(Services.Tables, Services.Accounts, Time);
        var notifier = new ServerlessFedi.Notifications.Notifier(new ServerlessFedi.Notifications.NotificationStore(Services.Tables, Time), new AccountHiding(following, new DomainBlockStore(Services.Tables, Time), Services.Urls, new ServerlessFedi.Moderation.ModerationPolicy(new ServerlessFedi.Moderation.ModerationStore(Services.Tables), Time)),
            new ServerlessFedi.Statuses.ConversationMutes(new ServerlessFedi.Statuses.ConversationMuteStore(Services.Tables), new ServerlessFedi.Statuses.StatusStore(Services.Tables), Time));
        var surface = new ServerlessFedi.Statuses.StatusSurface(new ServerlessFedi.Statuses.TimelineStore(Services.Tables), new ServerlessFedi.Lists.ListStore(Services.Tables), notifier, new ServerlessFedi.Statuses.InteractionStore(Services.Tables, Time), Services.Urls, new ServerlessFedi.Statuses.FollowedTagStore(Services.Tables), new ServerlessFedi.Polls.PollStore(Services.Tables), new ServerlessFedi.Statuses.ConversationStore(Services.Tables));
        var audits = new ServerlessFedi.Team.AuditStore(Services.Tables, new ServerlessFedi.Storage.SnowflakeIds(Time), Services.Options, Time);
        var effects = new ServerlessFedi.Statuses.InteractionEffects(new ServerlessFedi.Statuses.StatusStore(Services.Tables), new ServerlessFedi.Statuses.InteractionStore(Services.Tables, Time), notifier, Work, audits);
        Fanout = new FanoutProcessor(Followers, new ServerlessFedi.Statuses.StatusStore(Services.Tables), surface, effects, audits, Work, Time, NullLogger<FanoutProcessor>.Instance);
        Publisher = new ActivityPublisher(Payloads, Work, new ActivitySigner(Services.Urls, Time), Time);
        Client = new RemoteClient(
            Services.Options,
            Services.Urls,
            Time,
            NullLogger<RemoteClient>.Instance,
            RemoteClientLimits.Default,
            ResolveAsync,
            ConnectLoopbackOnlyAsync);
        Statuses = new ServerlessFedi.Statuses.StatusStore(Services.Tables);
        Ledger = new DeliveredLedger(Time);
        Delivery = new DeliveryProcessor(
            new DeliverySigners(Services.Accounts, new InstanceActorSigner(Services.InstanceActor, Services.Urls, Time), Services.Urls, Time),
            new DeliveryRecheck(Statuses, new ServerlessFedi.ActivityPub.NoteMapper(Services.Urls), new ActivitySigner(Services.Urls, Time), Time),
            Ledger,
            Client,
            Payloads,
            Work,
            Health,
            Time,
            NullLogger<DeliveryProcessor>.Instance);
        DeliveringFanout = new FanoutProcessor(Followers, Statuses, surface, effects, audits, Work, Time, NullLogger<FanoutProcessor>.Instance, Delivery);
    }

    public FakeTimeProvider Time { get; }

    public TestServices Services { get; }

    public FederationQueues Queues { get; }

    public WorkQueue Work { get; }

    public PayloadStore Payloads { get; }

    public FollowerStore Followers { get; }

    public DeliveryHealth Health { get; }

    /// <summary>The fan-out without inline deliveries: every delivery is a queue message the tests read back.</summary>
    public FanoutProcessor Fanout { get; }

    /// <summary>The fan-out as the host wires it: the first message delivers its first inboxes itself (<see cref="Delivery"/>).</summary>
    public FanoutProcessor DeliveringFanout { get; }

    public ActivityPublisher Publisher { get; }

    public RemoteClient Client { get; }

    public DeliveryProcessor Delivery { get; }

    public ServerlessFedi.Statuses.StatusStore Statuses { get; }

    public DeliveredLedger Ledger { get; }

    public string DeliverPoison => Queues.Deliver + "-poison";

    /// <summary>Makes <paramref name="host"/> resolve to 127.0.0.1.</summary>
    public void MapToLoopback(string host) => Map(host, IPAddress.Loopback);

    /// <summary>Makes <paramref name="host"/> resolve to <paramref name="address"/> (the connector still reaches only 127.0.0.0/8).</summary>
    public void Map(string host, IPAddress address) => _hosts[host] = [address];

    /// <summary>Empties the work queues and their poison queues, invisible messages included.</summary>
    public async Task ClearQueuesAsync()
    {
        foreach (var queue in Queues.All.SelectMany(q => new[] { q, q + "-poison" }))
        {
            if (await Raw(queue).ExistsAsync())
            {
                await Raw(queue).ClearMessagesAsync();
            }
        }
    }

    public async Task<LocalAccount> CreateAccountAsync(string username)
    {
        var result = await Services.Accounts.CreateAsync(new NewAccount(username, "Correct-Horse-42-battery", username));
        Assert.IsTrue(result.Succeeded, string.Join("; ", result.Errors));
        return result.Account!;
    }

    /// <summary>The key a remote server resolves for <paramref name="account"/> after fetching its actor document.</summary>
    public PublicKeyMaterial KeyOf(LocalAccount account) =>
        new(Services.Urls.ActorKey(account.Username), Services.Urls.Actor(account.Username), account.RsaPublicKeyPem, null);

    public QueueClient Raw(string queue) => Services.Account.RawQueues.GetQueueClient(queue);

    /// <summary>Messages in the queue, visible or not (what the service reports; 0 when the queue does not exist).</summary>
    public async Task<int> CountAsync(string queue)
    {
        var client = Raw(queue);
        return await client.ExistsAsync() ? (await client.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
    }

    /// <summary>Receives every visible message (hiding each for 5 minutes) and decodes it as the trigger does: Base64, then JSON.</summary>
    public async Task<IReadOnlyList<T>> ReceiveAllAsync<T>(string queue, JsonTypeInfo<T> typeInfo)
    {
        var client = Raw(queue);
        var list = new List<T>();
        if (!await client.ExistsAsync())
        {
            return list;
        }

        while (true)
        {
            var batch = (await client.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
            if (batch.Length == 0)
            {
                return list;
            }

            list.AddRange(batch.Select(m => Decode(m.MessageText, typeInfo)));
        }
    }

    public Task<IReadOnlyList<DeliveryMessage>> ReceiveDeliveriesAsync() =>
        ReceiveAllAsync(Queues.Deliver, QueueJsonContext.Default.DeliveryMessage);

    public Task<IReadOnlyList<FanoutMessage>> ReceiveFanoutsAsync() =>
        ReceiveAllAsync(Queues.Fanout, QueueJsonContext.Default.FanoutMessage);

    public static T Decode<T>(string base64, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(Encoding.UTF8.GetString(Convert.FromBase64String(base64)), typeInfo)
            ?? throw new InvalidDataException("empty queue message");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        foreach (var queue in Queues.All.SelectMany(q => new[] { q, q + "-poison" }))
        {
            await Raw(queue).DeleteIfExistsAsync();
        }

        await Services.Account.Blobs.GetBlobContainerClient(StorageNames.Queue(Services.Prefix, StorageNames.PayloadsContainer)).DeleteIfExistsAsync();
    }

    private Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        _hosts.TryGetValue(host, out var addresses)
            ? Task.FromResult(addresses)
            : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));

    private static async ValueTask<Stream> ConnectLoopbackOnlyAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        if (endpoint.AddressFamily != AddressFamily.InterNetwork || endpoint.Address.GetAddressBytes()[0] != 127)
        {
            throw new SocketException((int)SocketError.ConnectionRefused);
        }

        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
