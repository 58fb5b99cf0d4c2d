using System.Text.Json.Nodes;
using ServerlessFedi.Cards;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Tests.Deployment;

/// <summary>
/// Issue 17, items 8 and 10, in the template main.bicep compiles to (with prod.bicepparam): payload blobs expire by a
/// lifecycle rule after the app's retention, and poisoned work raises an alert on the warning the app logs.
/// </summary>
[TestClass]
public sealed class BicepOperationsTests
{
    private static readonly Lazy<Task<(JsonNode Parameters, JsonNode Template)>> Prod =
        new(() => BicepCli.CompileParamsAsync("prod.bicepparam"));

    [TestMethod]
    public async Task Payload_blobs_are_deleted_by_a_lifecycle_rule_after_the_app_s_payload_retention()
    {
        var template = (await Prod.Value).Template;
        var (rule, definition) = LifecycleRule(template, "expire-payloads");

        Assert.IsTrue(rule["enabled"]!.GetValue<bool>());
        StringAssert.Contains(definition["filters"]!["prefixMatch"]![0]!.ToJsonString(), "payloadsContainerName", "the container's name, then a slash");
        StringAssert.Contains(definition["actions"]!["baseBlob"]!["delete"]!["daysAfterModificationGreaterThan"]!.ToJsonString(), "payloadRetentionDays");
        var days = template["parameters"]!["payloadRetentionDays"]!["defaultValue"]!.GetValue<int>();
        Assert.AreEqual((int)PayloadStore.Retention.TotalDays, days, "the lifecycle rule and the app's own clean-up agree");
        Assert.IsGreaterThan(RetryPolicy.MaxTotal.TotalDays, days, "longer than the longest retry window");
    }

    [TestMethod]
    public async Task Copies_of_remote_media_are_deleted_by_a_lifecycle_rule_after_their_retention()
    {
        var template = (await Prod.Value).Template;
        var (rule, definition) = LifecycleRule(template, "expire-remote-media");

        Assert.IsTrue(rule["enabled"]!.GetValue<bool>());
        StringAssert.Contains(definition["filters"]!["prefixMatch"]![0]!.ToJsonString(), "remoteMediaContainerName", "the container's name, then a slash");
        StringAssert.Contains(definition["actions"]!["baseBlob"]!["delete"]!["daysAfterModificationGreaterThan"]!.ToJsonString(), "remoteMediaRetentionDays");
        Assert.AreEqual(7, template["parameters"]!["remoteMediaRetentionDays"]!["defaultValue"]!.GetValue<int>());
    }

    [TestMethod]
    public async Task Card_images_are_deleted_by_a_lifecycle_rule_after_the_retention_the_app_is_told()
    {
        var template = (await Prod.Value).Template;
        var (rule, definition) = LifecycleRule(template, "expire-card-images");

        Assert.IsTrue(rule["enabled"]!.GetValue<bool>());
        var prefix = definition["filters"]!["prefixMatch"]![0]!.ToJsonString();
        StringAssert.Contains(prefix, "mediaContainerName", "the media container's name");
        StringAssert.Contains(prefix, "/" + StorageKeys.CardImagePrefix, "then the prefix card images are stored under, and nothing else of the container");
        StringAssert.Contains(definition["actions"]!["baseBlob"]!["delete"]!["daysAfterModificationGreaterThan"]!.ToJsonString(), "cardImageRetentionDays");
        var days = template["parameters"]!["cardImageRetentionDays"]!["defaultValue"]!.GetValue<int>();
        Assert.AreEqual(new FediOptions().CardImageRetentionDays, days, "the rule's default and the app's agree");
        Assert.IsGreaterThanOrEqualTo(CardImages.MinRetentionDays, template["parameters"]!["cardImageRetentionDays"]!["minValue"]!.GetValue<int>());
        StringAssert.Contains(BicepTemplateTests.AppSettings(template)["Fedi__CardImageRetentionDays"]!.ToJsonString(), "cardImageRetentionDays", "the app is told the rule's number");
    }

    [TestMethod]
    public async Task Poisoned_work_raises_a_log_alert_on_the_warning_the_app_logs()
    {
        var template = (await Prod.Value).Template;
        var alert = BicepTemplateTests.Resources(template, "Microsoft.Insights/scheduledQueryRules").Single();
        var properties = alert["properties"]!;
        var query = properties["criteria"]!["allOf"]![0]!["query"]!.GetValue<string>();

        StringAssert.Contains(query, $"\"{PoisonWatch.WarningPrefix}\"");
        Assert.IsTrue(properties["enabled"]!.GetValue<bool>());
        Assert.Contains("Microsoft.Insights/components", properties["scopes"]!.ToJsonString(), "the query runs over Application Insights");
        Assert.IsNotEmpty(BicepTemplateTests.Resources(template, "Microsoft.Insights/actionGroups"), "an e-mail action group when alertEmail is set");
    }

    /// <summary>The storage account's lifecycle rule of that name, and its definition.</summary>
    private static (JsonNode Rule, JsonNode Definition) LifecycleRule(JsonNode template, string name)
    {
        var policy = BicepTemplateTests.Resources(template, "Microsoft.Storage/storageAccounts/managementPolicies").Single();
        var rule = policy["properties"]!["policy"]!["rules"]!.AsArray().Single(r => (string?)r!["name"] == name)!;
        return (rule, rule["definition"]!);
    }
}
