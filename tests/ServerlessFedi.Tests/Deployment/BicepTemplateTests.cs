using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessFedi.Configuration;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Tests.Deployment;

/// <summary>
/// Reads the ARM template that main.bicep compiles to (with prod.bicepparam) and checks what matters on Azure: every
/// setting the app reads is set, the runtime is .NET 10 isolated, storage refuses shared keys and old TLS, and the
/// storage layout covers what the app uses. Modules compile to nested deployments, so the JSON is searched recursively.
/// </summary>
[TestClass]
public sealed class BicepTemplateTests
{
    private const string TestsOnlySetting = nameof(FediOptions.AllowPrivateNetworks);

    private static readonly Lazy<Task<(JsonNode Parameters, JsonNode Template)>> Prod =
        new(() => BicepCli.CompileParamsAsync("prod.bicepparam"));

    [TestMethod]
    public async Task App_settings_cover_every_setting_the_app_reads()
    {
        var settings = AppSettings((await Prod.Value).Template);
        var required = typeof(FediOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.Name != TestsOnlySetting)
            .Select(p => $"{FediOptions.SectionName}__{p.Name}")
            .Concat(
            [
                $"{StorageAccount.ConnectionName}__accountName",
                $"{StorageAccount.ConnectionName}__credential",
                $"{StorageAccount.ConnectionName}__clientId",
                "APPLICATIONINSIGHTS_CONNECTION_STRING",
                "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
            ])
            .ToList();

        Assert.IsGreaterThan(5, required.Count, "reflection found the Fedi options");
        var missing = required.Where(name => !settings.ContainsKey(name)).ToList();
        Assert.IsEmpty(missing, $"app settings missing in the template: {string.Join(", ", missing)}");
    }

    [TestMethod]
    public async Task App_settings_cover_every_setting_of_the_local_settings_example()
    {
        // local.settings.example.json holds every setting the app reads (README). Three have Azure replacements:
        // the connection string (identity-based AzureWebJobsStorage__*), the worker runtime (functionAppConfig.runtime)
        // and the tests-only switch.
        var notInAzure = new[] { StorageAccount.ConnectionName, "FUNCTIONS_WORKER_RUNTIME", $"{FediOptions.SectionName}__{TestsOnlySetting}" };
        var example = JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.Directory, "..", "local.settings.example.json")))!;
        var names = example["Values"]!.AsObject().Select(p => p.Key).Except(notInAzure, StringComparer.Ordinal).ToList();
        var settings = AppSettings((await Prod.Value).Template);

        Assert.IsNotEmpty(names);
        var missing = names.Where(name => !settings.ContainsKey(name)).ToList();
        Assert.IsEmpty(missing, $"settings of local.settings.example.json missing in the template: {string.Join(", ", missing)}");
    }

    [TestMethod]
    public async Task The_tests_only_setting_is_absent_or_false()
    {
        var settings = AppSettings((await Prod.Value).Template);

        if (settings.TryGetValue($"{FediOptions.SectionName}__{TestsOnlySetting}", out var value))
        {
            Assert.AreEqual("false", value?.ToString(), ignoreCase: true, "Fedi__AllowPrivateNetworks admits http and private addresses");
        }
    }

    [TestMethod]
    public void The_local_settings_example_does_not_enable_the_tests_only_setting()
    {
        // Only eng/run-local.sh (and the tests) turn it on, through the environment; a copied example must not.
        var example = JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.Directory, "..", "local.settings.example.json")))!;
        var value = example["Values"]![$"{FediOptions.SectionName}__{TestsOnlySetting}"]?.GetValue<string>();

        Assert.IsTrue(value is null or "" || value.Equals("false", StringComparison.OrdinalIgnoreCase), $"local.settings.example.json sets it to '{value}'");
        StringAssert.Contains(File.ReadAllText(Path.Combine(BicepCli.Directory, "..", "eng", "run-local.sh")), "Fedi__AllowPrivateNetworks");
    }

    [TestMethod]
    public async Task Storage_is_reached_with_the_managed_identity_never_with_a_key()
    {
        var template = (await Prod.Value).Template;
        var settings = AppSettings(template);

        Assert.AreEqual("managedidentity", settings[$"{StorageAccount.ConnectionName}__credential"]?.GetValue<string>());
        Assert.IsFalse(settings.ContainsKey(StorageAccount.ConnectionName), "a connection string needs a shared key, which is off");
        Assert.DoesNotContain("listKeys", template.ToJsonString(), "no template expression may read account keys");
        Assert.Contains("Authorization=AAD", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]!.ToJsonString());
    }

    [TestMethod]
    public async Task Settings_that_Flex_Consumption_refuses_are_not_set()
    {
        var settings = AppSettings((await Prod.Value).Template);

        // Flex Consumption takes runtime and version from functionAppConfig and runs from its deployment container.
        foreach (var name in new[] { "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING" })
        {
            Assert.IsFalse(settings.ContainsKey(name), $"{name} is not supported on Flex Consumption");
        }
    }

    [TestMethod]
    public async Task The_function_app_runs_dotnet_isolated_10_on_flex_consumption()
    {
        var template = (await Prod.Value).Template;
        var config = Single(template, "functionAppConfig");
        var runtime = config["runtime"]!;

        Assert.AreEqual(JsonValueKind.String, runtime["version"]!.GetValueKind(), "the version must be the string \"10.0\", not a number");
        Assert.AreEqual("10.0", runtime["version"]!.GetValue<string>());
        Assert.AreEqual("dotnet-isolated", runtime["name"]!.GetValue<string>());

        var storage = config["deployment"]!["storage"]!;
        Assert.AreEqual("blobContainer", storage["type"]!.GetValue<string>());
        Assert.AreEqual("UserAssignedIdentity", storage["authentication"]!["type"]!.GetValue<string>());

        var scale = config["scaleAndConcurrency"]!;
        Assert.IsNotNull(scale["instanceMemoryMB"]);
        Assert.IsNotNull(scale["maximumInstanceCount"]);
        Assert.IsNotNull(scale["alwaysReady"]);

        var plan = Resources(template, "Microsoft.Web/serverfarms").Single();
        Assert.AreEqual("FC1", plan["sku"]!["name"]!.GetValue<string>());
        Assert.AreEqual("FlexConsumption", plan["sku"]!["tier"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task The_function_app_is_https_only_with_ftp_and_basic_publishing_off()
    {
        var template = (await Prod.Value).Template;
        var site = Resources(template, "Microsoft.Web/sites").Single();
        var siteConfig = site["properties"]!["siteConfig"]!;

        Assert.IsTrue(site["properties"]!["httpsOnly"]!.GetValue<bool>());
        Assert.AreEqual("1.2", siteConfig["minTlsVersion"]!.GetValue<string>());
        Assert.AreEqual("Disabled", siteConfig["ftpsState"]!.GetValue<string>());
        Assert.AreEqual("UserAssigned", site["identity"]!["type"]!.GetValue<string>());

        var policies = Resources(template, "Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();
        // Child names compile to format('{0}/{1}', parameters('name'), 'ftp').
        var names = policies.Select(p => p["name"]!.GetValue<string>()).ToList();
        Assert.HasCount(2, names);
        Assert.IsTrue(names.Any(n => n.EndsWith("'ftp')]", StringComparison.Ordinal)), string.Join(", ", names));
        Assert.IsTrue(names.Any(n => n.EndsWith("'scm')]", StringComparison.Ordinal)), string.Join(", ", names));
        Assert.IsTrue(policies.All(p => !p["properties"]!["allow"]!.GetValue<bool>()));
    }

    [TestMethod]
    public async Task The_storage_account_refuses_shared_keys_and_old_tls()
    {
        var template = (await Prod.Value).Template;
        var account = Resources(template, "Microsoft.Storage/storageAccounts").Single();
        var properties = account["properties"]!;

        Assert.AreEqual(JsonValueKind.False, properties["allowSharedKeyAccess"]!.GetValueKind());
        Assert.AreEqual("TLS1_2", properties["minimumTlsVersion"]!.GetValue<string>());
        Assert.IsTrue(properties["supportsHttpsTrafficOnly"]!.GetValue<bool>());

        var blobService = Resources(template, "Microsoft.Storage/storageAccounts/blobServices").Single();
        Assert.IsTrue(blobService["properties"]!["deleteRetentionPolicy"]!["enabled"]!.GetValue<bool>(), "blob soft delete");
    }

    [TestMethod]
    public async Task The_storage_layout_covers_the_tables_queues_and_containers_the_app_uses()
    {
        var variables = (await Prod.Value).Template["variables"]!;
        var tables = Strings(variables["storageTables"]);
        var queues = Strings(variables["storageQueues"]);
        var containers = Strings(variables["storageContainers"]);

        // Read by reflection: StorageNames grows with the features, and every list it has must be covered here.
        CollectionAssert.IsSubsetOf(StorageNamesList("AllTables"), tables, "add the table to storageTables in bicep/main.bicep");
        CollectionAssert.IsSubsetOf(StorageNamesList("AllQueues"), queues, "add the queue to storageQueues in bicep/main.bicep");
        CollectionAssert.IsSubsetOf(StorageNamesList("AllContainers"), containers, "add the container to storageContainers in bicep/main.bicep");
        CollectionAssert.IsSubsetOf(new[] { "inbox", "fanout", "deliver" }, queues, "the federation queues exist before the feature ships");
        CollectionAssert.Contains(containers, "media");
    }

    private static List<string> StorageNamesList(string property) =>
        typeof(StorageNames).GetProperty(property, BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is IEnumerable<string> names
            ? names.ToList()
            : [];

    [TestMethod]
    public async Task The_app_identity_gets_the_storage_and_telemetry_roles()
    {
        var json = (await Prod.Value).Template.ToJsonString();

        foreach (var (role, id) in new[]
        {
            ("Storage Blob Data Owner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"),
            ("Storage Queue Data Contributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88"),
            ("Storage Table Data Contributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"),
            ("Monitoring Metrics Publisher", "3913510d-42f4-4e42-8a64-420c390055eb"),
        })
        {
            Assert.Contains(id, json, $"{role} is not assigned");
        }
    }

    [TestMethod]
    public async Task Telemetry_is_entra_only_and_keeps_no_client_ip()
    {
        var template = (await Prod.Value).Template;
        var component = Resources(template, "Microsoft.Insights/components").Single(r => r["properties"] is not null);
        var properties = component["properties"]!;

        Assert.IsTrue(properties["DisableLocalAuth"]!.GetValue<bool>());
        Assert.IsFalse(properties["DisableIpMasking"]!.GetValue<bool>());

        var workspace = Resources(template, "Microsoft.OperationalInsights/workspaces").Single();
        Assert.IsTrue(workspace["properties"]!["features"]!["disableLocalAuth"]!.GetValue<bool>());
    }

    [TestMethod]
    public async Task Environments_differ_where_they_really_differ()
    {
        var dev = (await BicepCli.CompileParamsAsync("dev.bicepparam")).Parameters["parameters"]!;
        var prod = (await Prod.Value).Parameters["parameters"]!;

        Assert.AreEqual(0, Value(dev, "alwaysReadyHttpInstances", 0), "dev scales to zero");
        Assert.IsGreaterThanOrEqualTo(1, Value(prod, "alwaysReadyHttpInstances", 0), "prod keeps an HTTP instance ready");
        Assert.AreEqual("Standard_ZRS", prod["storageSku"]!["value"]!.GetValue<string>(), "prod storage is zone-redundant");
        Assert.IsGreaterThan(Value(dev, "logRetentionDays", 30), Value(prod, "logRetentionDays", 30));
    }

    private static int Value(JsonNode parameters, string name, int fallback) =>
        parameters[name]?["value"]?.GetValue<int>() ?? fallback;

    /// <summary>Name → value of every <c>{ name, value }</c> in every <c>appSettings</c> array anywhere in the template.</summary>
    internal static Dictionary<string, JsonNode?> AppSettings(JsonNode template)
    {
        var settings = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var array in Descendants(template).OfType<JsonObject>()
            .SelectMany(o => o.Where(p => p.Key == "appSettings").Select(p => p.Value))
            .OfType<JsonArray>())
        {
            foreach (var entry in array.OfType<JsonObject>())
            {
                if (entry["name"] is JsonValue name && name.GetValueKind() == JsonValueKind.String)
                {
                    settings[name.GetValue<string>()] = entry["value"];
                }
            }
        }

        Assert.IsNotEmpty(settings, "no appSettings array found in the template");
        return settings;
    }

    /// <summary>Resource declarations of a type (not <c>existing</c> references), at any nesting depth.</summary>
    internal static IEnumerable<JsonNode> Resources(JsonNode template, string type) =>
        Descendants(template).OfType<JsonObject>()
            .Where(o => o["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String
                && string.Equals(t.GetValue<string>(), type, StringComparison.OrdinalIgnoreCase)
                && o["apiVersion"] is not null
                && o["existing"]?.GetValue<bool>() != true);

    private static JsonNode Single(JsonNode template, string property)
    {
        var found = Descendants(template).OfType<JsonObject>().Where(o => o.ContainsKey(property)).Select(o => o[property]!).ToList();
        Assert.HasCount(1, found, $"expected exactly one '{property}' in the template");
        return found[0];
    }

    private static List<string> Strings(JsonNode? array) =>
        array?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        var stack = new Stack<JsonNode>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            yield return current;
            var children = current switch
            {
                JsonObject o => o.Select(p => p.Value),
                JsonArray a => a.AsEnumerable(),
                _ => [],
            };
            foreach (var child in children)
            {
                if (child is not null)
                {
                    stack.Push(child);
                }
            }
        }
    }
}
