using System.Security;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Configuration;
using ServerlessFedi.Http;

namespace ServerlessFedi.WebFinger;

/// <summary>RFC 6415 host-meta, in XRD (default) and JSON (<c>host-meta.json</c> or <c>Accept: application/json</c>), pointing at WebFinger.</summary>
public sealed class HostMetaHandler(InstanceUrls urls)
{
    private string Template => $"{urls.Base}/.well-known/webfinger?resource={{uri}}";

    public WireResult Handle(HttpRequest request, bool json)
    {
        ArgumentNullException.ThrowIfNull(request);
        var wantsJson = json || request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase)
            || request.Headers.Accept.ToString().Contains("application/jrd+json", StringComparison.OrdinalIgnoreCase);
        if (wantsJson)
        {
            var doc = new JsonObject
            {
                ["links"] = new JsonArray(new JsonObject { ["rel"] = "lrdd", ["type"] = "application/jrd+json", ["template"] = Template }),
            };
            return WireResult.Json(StatusCodes.Status200OK, doc, "application/jrd+json; charset=utf-8").WithCors().WithHeader("Cache-Control", "max-age=259200, public");
        }

        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n"
            + $"  <Link rel=\"lrdd\" type=\"application/xrd+xml\" template=\"{SecurityElement.Escape(Template)}\"/>\n"
            + "</XRD>\n";
        return WireResult.Text(StatusCodes.Status200OK, xml, "application/xrd+xml; charset=utf-8").WithCors().WithHeader("Cache-Control", "max-age=259200, public");
    }
}
