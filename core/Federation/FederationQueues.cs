using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using ServerlessFedi.Configuration;

namespace ServerlessFedi.Federation;

/// <summary>
/// Names of the work queues. They are app settings because the queue triggers bind <c>%FediInboxQueue%</c> etc.
/// (the host resolves them at start-up and refuses to start when one is missing), which also lets tests and several
/// environments share one storage account. Setting names have no <c>__</c>, which the host's name resolver would not map.
/// A setting is the queue's full name: the app and both hosts use it as it is, so with <c>Fedi__StoragePrefix</c> set every
/// queue name must carry the prefix (<c>{prefix}-inbox</c>, as Bicep writes them), or two instances sharing an account
/// would take each other's messages. A name without it stops start-up.
/// </summary>
public sealed partial record FederationQueues(string Inbox, string Fanout, string Deliver, string Accounts, string Media, string Push)
{
    public const string InboxSetting = "FediInboxQueue";
    public const string FanoutSetting = "FediFanoutQueue";
    public const string DeliverSetting = "FediDeliverQueue";

    /// <summary>Account-level work: the paged removal after an account deletion (local, or a remote actor's Delete).</summary>
    public const string AccountsSetting = "FediAccountsQueue";

    /// <summary>Processing of video and audio uploaded through <c>POST /api/v2/media</c>.</summary>
    public const string MediaSetting = "FediMediaQueue";

    /// <summary>Web Push deliveries of notifications to the push services of subscribed apps.</summary>
    public const string PushSetting = "FediPushQueue";

    public IReadOnlyList<string> All => [Inbox, Fanout, Deliver, Accounts, Media, Push];

    public static FederationQueues FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new List<string>();
        var prefix = configuration["Fedi:StoragePrefix"] ?? "";
        string Read(string setting)
        {
            var value = configuration[setting];
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"{setting} is required: the name of a storage queue, e.g. '{setting.Replace("Fedi", "", StringComparison.Ordinal).Replace("Queue", "", StringComparison.Ordinal).ToLowerInvariant()}'.");
                return "";
            }

            if (!QueueName().IsMatch(value))
            {
                errors.Add($"{setting} '{value}' is not a valid queue name (3-57 lower-case letters, digits and single hyphens; '-poison' is appended for failures).");
            }
            else if (prefix.Length > 0 && !value.StartsWith(prefix + "-", StringComparison.Ordinal))
            {
                errors.Add($"{setting} '{value}' must start with '{prefix}-' because Fedi__StoragePrefix is '{prefix}' (e.g. '{prefix}-{value}'): the queue triggers bind the setting as it is.");
            }

            return value;
        }

        var queues = new FederationQueues(Read(InboxSetting), Read(FanoutSetting), Read(DeliverSetting), Read(AccountsSetting), Read(MediaSetting), Read(PushSetting));
        if (errors.Count > 0)
        {
            throw new FediConfigurationException(errors);
        }

        return queues;
    }

    // Source-generated: no regex is parsed, cached or compiled when the app starts (docs/PERFORMANCE.md, "Cold start and memory").
    [GeneratedRegex("^[a-z0-9](?!.*--)[a-z0-9-]{1,55}[a-z0-9]$")]
    private static partial Regex QueueName();
}
