using System.Text.Json.Nodes;
using ServerlessFedi.Federation;

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
        var policy = BicepTemplateTests.Resources(template, "Microsoft.Storage/storageAccounts/managementPolicies").Single();
        var rule = policy["properties"]!["policy"]!["rules"]!.AsArray().Single(r => (string?)r!["name"] == "expire-payloads")!;
        var definition = rule["definition"]!;

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
        var policy = BicepTemplateTests.Resources(template, "Microsoft.Storage/storageAccounts/managementPolicies").Single();
        var rule = policy["properties"]!["policy"]!["rules"]!.AsArray().Single(r => (string?)r!["name"] == "expire-remote-media")!;
        var definition = rule["definition"]!;

        Assert.IsTrue(rule["enabled"]!.GetValue<bool>());
        StringAssert.Contains(definition["filters"]!["prefixMatch"]![0]!.ToJsonString(), "remoteMediaContainerName", "the container's name, then a slash");
        StringAssert.Contains(definition["actions"]!["baseBlob"]!["delete"]!["daysAfterModificationGreaterThan"]!.ToJsonString(), "remoteMediaRetentionDays");
        Assert.AreEqual(7, template["parameters"]!["remoteMediaRetentionDays"]!["defaultValue"]!.GetValue<int>());
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
}
