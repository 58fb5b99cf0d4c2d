using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServerlessFedi.Accounts;

/// <summary>One profile metadata pair as the owner typed it (docs: entities/Account#Field); HTML is made when mapped.</summary>
public sealed record ProfileField(string Name, string Value)
{
    /// <summary>Mastodon's defaults: 4 fields, 255 characters per name and value.</summary>
    public const int MaxFields = 4;

    public const int MaxLength = 255;

    /// <summary>
    /// The value as HTML: escaped text, or a link when the whole value is an http(s) URL (as Mastodon links field values;
    /// <c>rel="me"</c> lets the other site verify the link).
    /// </summary>
    public string ValueHtml()
    {
        var text = Value.Trim();
        var escaped = System.Net.WebUtility.HtmlEncode(text);
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && !text.Any(char.IsWhiteSpace))
        {
            return $"<a href=\"{escaped}\" target=\"_blank\" rel=\"nofollow noopener noreferrer me\" translate=\"no\">{escaped}</a>";
        }

        return escaped;
    }

    /// <summary>The stored JSON column; null for no fields.</summary>
    public static string? Serialize(IReadOnlyList<ProfileField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return fields.Count == 0
            ? null
            : new JsonArray(fields.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["value"] = f.Value }).ToArray()).ToJsonString();
    }

    /// <summary>Reads the stored JSON column; anything unreadable counts as no fields.</summary>
    public static IReadOnlyList<ProfileField> Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(json) is JsonArray array
                ? array.OfType<JsonObject>().Select(o => new ProfileField((string?)o["name"] ?? "", (string?)o["value"] ?? "")).ToList()
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
