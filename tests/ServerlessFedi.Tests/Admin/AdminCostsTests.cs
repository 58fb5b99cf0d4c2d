using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using ServerlessFedi.Costs;
using ServerlessFedi.Functions.Admin;
using ServerlessFedi.Tests.Infrastructure;

namespace ServerlessFedi.Tests.Admin;

/// <summary><c>admin costs</c>: the worked examples in docs/DEPLOY.md are its real output, and its price settings.</summary>
[TestClass]
public sealed partial class AdminCostsTests
{
    private static readonly string DeployGuide = Path.GetFullPath(Path.Combine(FunctionsApp.OutputDirectory, "..", "..", "..", "..", "docs", "DEPLOY.md"));

    [TestMethod]
    public async Task Every_worked_example_in_the_deployment_guide_is_the_commands_exact_output()
    {
        var examples = Example().Matches(await File.ReadAllTextAsync(DeployGuide));

        Assert.IsGreaterThanOrEqualTo(2, examples.Count, "the estimate before and after the cut");
        foreach (Match example in examples)
        {
            var args = example.Groups["args"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var run = await RunAsync(new ConfigurationBuilder().Build(), args);

            Assert.AreEqual(0, run.Exit, run.Stderr);
            Assert.AreEqual(example.Groups["output"].Value, run.Stdout, string.Join(' ', args));
        }
    }

    [TestMethod]
    public async Task Prices_come_from_settings_and_a_bad_one_is_named()
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Costs:Region"] = "Germany West Central",
            ["Costs:AsOf"] = "2027-01-15",
            ["Costs:FrontDoorBaseMonth"] = "40",
        }).Build();
        var bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Costs:EgressPerGb"] = "cheap" }).Build();

        var run = await RunAsync(settings, "costs");
        var refused = await RunAsync(bad, "costs");

        Assert.AreEqual(0, run.Exit, run.Stderr);
        Assert.StartsWith("Monthly cost estimate in USD, Germany West Central list prices as of 2027-01-15", run.Stdout);
        Assert.MatchesRegex(@"Front Door base fee\s+1 month\s+40\.00\s+40\.00", run.Stdout);
        Assert.AreEqual(1, refused.Exit);
        Assert.Contains("Costs__EgressPerGb 'cheap'", refused.Stderr);
    }

    [TestMethod]
    public async Task An_impossible_workload_is_a_usage_error()
    {
        var run = await RunAsync(new ConfigurationBuilder().Build(), "costs", "--media-share", "1.5");

        Assert.AreEqual(2, run.Exit);
        Assert.AreEqual("", run.Stdout);
    }

    [TestMethod]
    public void Egress_is_free_up_to_100_GB_then_priced_by_volume_tier()
    {
        var prices = new CostPrices();

        Assert.AreEqual(0.0, prices.Egress(100));
        Assert.AreEqual(0.087 * 10_240, prices.Egress(100 + 10_240), 1e-6);
        Assert.AreEqual((0.087 * 10_240) + (0.083 * 40_960) + (0.07 * 102_400) + (0.05 * 1_000), prices.Egress(100 + 10_240 + 40_960 + 102_400 + 1_000), 1e-6);
    }

    [TestMethod]
    public void Every_follower_server_downloads_each_attachment_once()
    {
        var workload = new CostWorkload { Accounts = 1, PostsPerDay = 1, Followers = 1_000_000, Servers = 10, MediaShare = 1, MediaMb = 1 };

        var estimate = CostModel.Estimate(workload, new CostPrices());

        var downloads = estimate.Workload.Single(q => q.Name == "media downloads by other servers").Value;
        Assert.AreEqual(30 * 10, downloads, 1e-6, "30 posts, each fetched once by each of the 10 servers");
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(IConfiguration configuration, params string[] args)
    {
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter();
        var exit = await AdminCli.RunAsync(args, configuration, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A fenced block in the guide: the command line, then exactly what it prints.</summary>
    [GeneratedRegex(@"```text\n\$ dotnet run --project functions -- admin (?<args>costs[^\n]*)\n(?<output>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Example();
}
