using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace ServerlessFedi.Storage;

/// <summary>
/// Resolves the storage account the way the Functions host resolves the <c>AzureWebJobsStorage</c> connection:
/// a connection string, or identity-based settings (<c>AzureWebJobsStorage__accountName</c>, or the per-service
/// <c>__tableServiceUri</c>/<c>__blobServiceUri</c>/<c>__queueServiceUri</c>, with <c>__credential</c>/<c>__clientId</c>).
/// Creating the clients makes no network call.
/// </summary>
public sealed class StorageAccount
{
    public const string ConnectionName = "AzureWebJobsStorage";

    /// <summary>Retries of a storage call after its first attempt (see <see cref="ApplyRetryPolicy"/>).</summary>
    public const int MaxRetries = 5;

    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(400);

    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>Per attempt; long enough for a 16 MiB media upload block, short against a function's minutes.</summary>
    public static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(30);

    private StorageAccount(TableServiceClient tables, BlobServiceClient blobs, QueueServiceClient queues, QueueServiceClient rawQueues, string description)
    {
        Tables = tables;
        Blobs = blobs;
        Queues = queues;
        RawQueues = rawQueues;
        Description = description;
    }

    public TableServiceClient Tables { get; }

    public BlobServiceClient Blobs { get; }

    /// <summary>Queue clients send Base64 bodies: the host's queue trigger expects them and poisons anything else.</summary>
    public QueueServiceClient Queues { get; }

    /// <summary>Queue clients that neither encode nor decode: for the trigger listener, which must see a non-Base64 body to poison it.</summary>
    public QueueServiceClient RawQueues { get; }

    /// <summary>For logs and CLI output: never contains a secret.</summary>
    public string Description { get; }

    /// <summary>
    /// The clients of the configured account, with <see cref="ApplyRetryPolicy"/>; <paramref name="configureOptions"/> then sees
    /// each client's options (tests add a fault-injecting pipeline policy, the benchmark a counting one).
    /// </summary>
    public static StorageAccount FromConfiguration(IConfiguration configuration, string connectionName = ConnectionName, Action<ClientOptions>? configureOptions = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var tableOptions = Configure(new TableClientOptions(), configureOptions);
        var blobOptions = Configure(new BlobClientOptions(), configureOptions);
        var queueOptions = Configure(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }, configureOptions);
        var rawOptions = Configure(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None }, configureOptions);

        var connectionString = configuration[connectionName];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            var emulator = connectionString.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase)
                || connectionString.Contains("devstoreaccount1", StringComparison.Ordinal);
            var described = emulator ? "development storage (Azurite)" : "connection string";

            // Azurite stores entities Azure refuses (a string property over 64 KiB, an entity over 1 MiB): check them here.
            if (emulator)
            {
                tableOptions.AddPolicy(new TableLimitsPolicy(), HttpPipelinePosition.PerCall);
            }

            return new StorageAccount(
                new TableServiceClient(connectionString, tableOptions),
                new BlobServiceClient(connectionString, blobOptions),
                new QueueServiceClient(connectionString, queueOptions),
                new QueueServiceClient(connectionString, rawOptions),
                described);
        }

        var section = configuration.GetSection(connectionName);
        var accountName = section["accountName"];
        var tableUri = section["tableServiceUri"] ?? (accountName is null ? null : $"https://{accountName}.table.core.windows.net");
        var blobUri = section["blobServiceUri"] ?? (accountName is null ? null : $"https://{accountName}.blob.core.windows.net");
        var queueUri = section["queueServiceUri"] ?? (accountName is null ? null : $"https://{accountName}.queue.core.windows.net");
        if (tableUri is null || blobUri is null || queueUri is null)
        {
            throw new InvalidOperationException(
                $"Storage is not configured: set {connectionName} to a connection string (UseDevelopmentStorage=true for Azurite), "
                + $"or {connectionName}__accountName (or all of {connectionName}__tableServiceUri, __blobServiceUri and __queueServiceUri) for identity-based access.");
        }

        var credential = CreateCredential(section["credential"], section["clientId"]);
        return new StorageAccount(
            new TableServiceClient(new Uri(tableUri), credential, tableOptions),
            new BlobServiceClient(new Uri(blobUri), credential, blobOptions),
            new QueueServiceClient(new Uri(queueUri), credential, queueOptions),
            new QueueServiceClient(new Uri(queueUri), credential, rawOptions),
            $"identity-based ({new Uri(tableUri).Host.Split('.')[0]})");
    }

    /// <summary>
    /// Every storage call retries what the service says is transient (408, 429, 500, 502, 503, 504: throttling, "server
    /// busy", internal errors) and network failures and timeouts, with exponential back-off and jitter: 0.4, 0.8, 1.6, 3.2
    /// and 6.4 seconds (each at most <see cref="MaxRetryDelay"/>), five retries, about 12 s in all, inside both an HTTP
    /// request (cut at 230 s) and a queue function. An attempt waits at most <see cref="NetworkTimeout"/> (the SDK's 100 s
    /// would let one stuck call hold a function for minutes). Conflicts (409) and failed preconditions (412) are answers, not faults.
    /// </summary>
    public static void ApplyRetryPolicy(ClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = MaxRetries;
        options.Retry.Delay = FirstRetryDelay;
        options.Retry.MaxDelay = MaxRetryDelay;
        options.Retry.NetworkTimeout = NetworkTimeout;
    }

    private static T Configure<T>(T options, Action<ClientOptions>? configure)
        where T : ClientOptions
    {
        ApplyRetryPolicy(options);
        configure?.Invoke(options);
        return options;
    }

    // The host uses a managed identity when __credential is "managedidentity" (with __clientId for a user-assigned one);
    // otherwise DefaultAzureCredential, which lets an operator's `az login` drive the admin CLI against the same account.
    private static TokenCredential CreateCredential(string? credential, string? clientId)
    {
        if (string.Equals(credential, "managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            return string.IsNullOrEmpty(clientId)
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        }

        return new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
    }
}
