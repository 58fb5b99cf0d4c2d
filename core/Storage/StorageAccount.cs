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

    public static StorageAccount FromConfiguration(IConfiguration configuration, string connectionName = ConnectionName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var rawOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };

        var connectionString = configuration[connectionName];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            var emulator = connectionString.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase)
                || connectionString.Contains("devstoreaccount1", StringComparison.Ordinal);
            var described = emulator ? "development storage (Azurite)" : "connection string";

            // Azurite stores entities Azure refuses (a string property over 64 KiB, an entity over 1 MiB): check them here.
            var tableOptions = new TableClientOptions();
            if (emulator)
            {
                tableOptions.AddPolicy(new TableLimitsPolicy(), HttpPipelinePosition.PerCall);
            }

            return new StorageAccount(
                new TableServiceClient(connectionString, tableOptions),
                new BlobServiceClient(connectionString),
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
            new TableServiceClient(new Uri(tableUri), credential),
            new BlobServiceClient(new Uri(blobUri), credential),
            new QueueServiceClient(new Uri(queueUri), credential, queueOptions),
            new QueueServiceClient(new Uri(queueUri), credential, rawOptions),
            $"identity-based ({new Uri(tableUri).Host.Split('.')[0]})");
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
