using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Http;

namespace ServerlessFedi.NodeInfo;

/// <summary>
/// NodeInfo discovery (<c>/.well-known/nodeinfo</c>) and the 2.0 and 2.1 documents with real usage figures.
/// Storage: one range query over the account partition per document.
/// </summary>
public sealed class NodeInfoHandler(AccountListingStore listings, InstanceUrls urls, FediOptions options)
{
    public const string SoftwareName = "serverlessfedi";

    public static string SoftwareVersion { get; } =
        typeof(NodeInfoHandler).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.1.0";

    public WireResult Discovery()
    {
        var doc = new JsonObject
        {
            ["links"] = new JsonArray(
                new JsonObject { ["rel"] = "http://nodeinfo.diaspora.software/ns/schema/2.0", ["href"] = $"{urls.Base}/nodeinfo/2.0" },
                new JsonObject { ["rel"] = "http://nodeinfo.diaspora.software/ns/schema/2.1", ["href"] = $"{urls.Base}/nodeinfo/2.1" }),
        };
        return WireResult.Json(StatusCodes.Status200OK, doc).WithCors().WithHeader("Cache-Control", "max-age=259200, public");
    }

    public async Task<WireResult> DocumentAsync(string version, CancellationToken cancellationToken)
    {
        if (version is not ("2.0" or "2.1"))
        {
            return WireResult.Error(StatusCodes.Status404NotFound, "NodeInfo versions 2.0 and 2.1 are served");
        }

        var totals = await listings.GetTotalsAsync(cancellationToken);
        var software = new JsonObject { ["name"] = SoftwareName, ["version"] = SoftwareVersion };
        var doc = new JsonObject
        {
            ["version"] = version,
            ["software"] = software,
            ["protocols"] = new JsonArray("activitypub"),
            ["services"] = new JsonObject { ["inbound"] = new JsonArray(), ["outbound"] = new JsonArray() },
            ["openRegistrations"] = false,
            ["usage"] = new JsonObject
            {
                ["users"] = new JsonObject
                {
                    ["total"] = totals.Users,
                    ["activeMonth"] = totals.ActiveMonth,
                    ["activeHalfyear"] = totals.ActiveHalfYear,
                },
                ["localPosts"] = totals.LocalPosts,
            },
            ["metadata"] = new JsonObject
            {
                ["nodeName"] = options.InstanceTitle,
                ["nodeDescription"] = options.InstanceDescription,
            },
        };
        var contentType = $"application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/{version}#\"; charset=utf-8";
        return WireResult.Json(StatusCodes.Status200OK, doc, contentType).WithCors().WithHeader("Cache-Control", "max-age=1800, public");
    }
}
