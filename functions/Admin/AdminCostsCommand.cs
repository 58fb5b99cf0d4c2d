using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using ServerlessFedi.Costs;

namespace ServerlessFedi.Functions.Admin;

/// <summary>
/// <c>admin costs</c>: the monthly bill of a workload per meter (<see cref="CostModel"/>), with the prices' region and date.
/// Needs no storage account. docs/DEPLOY.md holds a worked example that a test reruns.
/// </summary>
public static class AdminCostsCommand
{
    public static Command Create(IConfiguration configuration, TextWriter output, TextWriter error)
    {
        var defaults = new CostWorkload();
        var accounts = new Option<int>("--accounts") { Description = "Local accounts that post.", DefaultValueFactory = _ => defaults.Accounts };
        var postsPerDay = new Option<double>("--posts-per-day") { Description = "Posts a day per account.", DefaultValueFactory = _ => defaults.PostsPerDay };
        var followers = new Option<long>("--followers") { Description = "Followers of all accounts together.", DefaultValueFactory = _ => defaults.Followers };
        var servers = new Option<long>("--servers") { Description = "Distinct servers the followers are on.", DefaultValueFactory = _ => defaults.Servers };
        var mediaShare = new Option<double>("--media-share") { Description = "Share of posts with an image (0-1).", DefaultValueFactory = _ => defaults.MediaShare };
        var mediaMb = new Option<double>("--media-mb") { Description = "MB of the image file other servers download.", DefaultValueFactory = _ => defaults.MediaMb };
        var requests = new Option<long?>("--requests") { Description = "Page and client API requests a month (default: 4,000 per account)." };
        var memory = new Option<int>("--memory-mb") { Description = "Memory per instance (instanceMemoryMB).", DefaultValueFactory = _ => defaults.MemoryMb };
        var alwaysReady = new Option<int>("--always-ready") { Description = "Always-ready HTTP instances.", DefaultValueFactory = _ => defaults.AlwaysReady };
        var mediaDelivery = new Option<MediaDelivery>("--media-delivery") { Description = "App, Blob or FrontDoor (Bicep mediaDelivery).", DefaultValueFactory = _ => defaults.MediaDelivery };
        var customDomain = new Option<bool>("--custom-domain") { Description = "Front Door carries every request (true by default).", DefaultValueFactory = _ => defaults.CustomDomain };
        var verbose = new Option<bool>("--verbose-telemetry") { Description = "Every execution's Information logs sent to Application Insights, not only failures." };
        var command = new Command("costs",
            "Estimate the monthly Azure bill per meter for a workload (USD list prices with their region and date; override them with Costs__* settings).");
        foreach (var o in new Option[] { accounts, postsPerDay, followers, servers, mediaShare, mediaMb, requests, memory, alwaysReady, mediaDelivery, customDomain, verbose })
        {
            command.Options.Add(o);
        }

        command.SetAction(async (parse, _) =>
        {
            var workload = new CostWorkload
            {
                Accounts = parse.GetValue(accounts),
                PostsPerDay = parse.GetValue(postsPerDay),
                Followers = parse.GetValue(followers),
                Servers = parse.GetValue(servers),
                MediaShare = parse.GetValue(mediaShare),
                MediaMb = parse.GetValue(mediaMb),
                Requests = parse.GetValue(requests),
                MemoryMb = parse.GetValue(memory),
                AlwaysReady = parse.GetValue(alwaysReady),
                MediaDelivery = parse.GetValue(mediaDelivery),
                CustomDomain = parse.GetValue(customDomain),
                VerboseTelemetry = parse.GetValue(verbose),
            };
            if (workload.Accounts < 1 || workload.PostsPerDay < 0 || workload.Followers < 0 || workload.Servers < 0 || workload.MediaShare is < 0 or > 1
                || workload.MediaMb < 0 || workload.MemoryMb < 512 || workload.AlwaysReady < 0 || workload.Requests < 0)
            {
                await error.WriteLineAsync("error: accounts must be at least 1, media share between 0 and 1, memory at least 512 MB, and no count negative");
                return 2;
            }

            CostPrices prices;
            try
            {
                prices = CostPrices.FromConfiguration(configuration);
            }
            catch (FormatException ex)
            {
                await error.WriteLineAsync($"error: {ex.Message}");
                return 1;
            }

            await output.WriteAsync(Format(workload, CostModel.Estimate(workload, prices)));
            return 0;
        });
        return command;
    }

    /// <summary>The report as the command prints it (and docs/DEPLOY.md quotes it).</summary>
    public static string Format(CostWorkload workload, CostEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(estimate);
        var c = CultureInfo.InvariantCulture;
        var w = new StringWriter(c) { NewLine = "\n" };
        w.WriteLine($"Monthly cost estimate in USD, {estimate.Prices.Region} list prices as of {estimate.Prices.AsOf} (check them before budgeting).");
        w.WriteLine(string.Create(c, $"Workload: {workload.Accounts} accounts posting {workload.PostsPerDay} times a day, {workload.Followers:N0} followers on {workload.Servers:N0} servers,"));
        w.WriteLine(string.Create(c, $"  {workload.MediaShare:P0} of posts with a {workload.MediaMb} MB image served by {workload.MediaDelivery}, {(workload.CustomDomain ? "custom domain through Front Door" : "no custom domain")}, {workload.MemoryMb} MB instances, {workload.AlwaysReady} always ready."));
        foreach (var (name, value) in estimate.Workload)
        {
            w.WriteLine(string.Create(c, $"  {name,-34} {value,14:N0}"));
        }

        w.WriteLine();
        w.WriteLine(string.Create(c, $"{"meter",-40} {"quantity",16} {"unit",-12} {"unit price",12} {"per month",10}"));
        foreach (var line in estimate.Lines)
        {
            w.WriteLine(string.Create(c, $"{line.Meter,-40} {line.Quantity,16:N0} {line.Unit,-12} {Price(line.UnitPrice),12} {line.Cost,10:N2}"));
        }

        w.WriteLine(string.Create(c, $"{"total",-40} {"",16} {"",-12} {"",12} {estimate.Total,10:N2}"));
        var largest = estimate.Largest;
        w.WriteLine(string.Create(c, $"Largest meter: {largest.Meter}, {largest.Cost / estimate.Total:P0} of the total ({largest.Basis})."));
        return w.ToString();
    }

    private static string Price(double price) =>
        price.ToString(price >= 0.01 ? "0.00##" : "0.##########", CultureInfo.InvariantCulture);
}
