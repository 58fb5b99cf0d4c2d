using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// Request parameters as Mastodon accepts them: query string, form-encoded or multipart bodies, or JSON (masto.js sends
/// JSON everywhere). Arrays arrive as <c>key[]=</c> (form) or JSON arrays; both read as <see cref="GetAll"/>.
/// </summary>
public sealed class ApiParameters
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public string? Get(string name) => _values.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null;

    public IReadOnlyList<string> GetAll(string name) =>
        _values.TryGetValue(name + "[]", out var a) ? a : _values.TryGetValue(name, out var v) ? v : [];

    public bool Has(string name) => _values.ContainsKey(name) || _values.ContainsKey(name + "[]");

    /// <summary>Every parameter name as received (JSON objects inside arrays appear as <c>name[0][field]</c>).</summary>
    public IEnumerable<string> Names => _values.Keys;

    /// <summary>Mastodon's booleans: true, 1, on, yes (and JSON true).</summary>
    public bool? GetBool(string name) => Get(name)?.ToLowerInvariant() switch
    {
        null => null,
        "true" or "1" or "on" or "yes" => true,
        _ => false,
    };

    /// <summary>The query string's parameters only (the body is not read).</summary>
    public static ApiParameters FromQuery(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var p = new ApiParameters();
        foreach (var (key, values) in query)
        {
            p.AddRange(key, values.OfType<string>());
        }

        return p;
    }

    /// <summary>Reads every parameter; null with an error message when the body cannot be parsed.</summary>
    public static async Task<(ApiParameters? Parameters, string? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var p = FromQuery(request.Query);
        var contentType = request.ContentType ?? "";
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(cancellationToken);
            }
            catch (InvalidDataException)
            {
                return (null, "The form body could not be parsed");
            }

            foreach (var (key, values) in form)
            {
                p.AddRange(key, values.OfType<string>());
            }
        }
        else if (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                using var doc = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 16 }, cancellationToken);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return (null, "The JSON body must be an object");
                }

                foreach (var property in doc.RootElement.EnumerateObject())
                {
                    p.AddJson(property.Name, property.Value);
                }
            }
            catch (JsonException)
            {
                return (null, "The JSON body could not be parsed");
            }
        }

        return (p, null);
    }

    private void AddJson(string name, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Array:
                AddRange(name + "[]", value.EnumerateArray().Select(Scalar).OfType<string>());
                var index = 0;
                foreach (var element in value.EnumerateArray())
                {
                    // Arrays of objects (keywords_attributes) keep each element's fields together by index.
                    if (element.ValueKind == JsonValueKind.Object)
                    {
                        AddJson($"{name}[{index}]", element);
                    }

                    index++;
                }

                break;
            case JsonValueKind.Object:
                foreach (var inner in value.EnumerateObject())
                {
                    AddJson($"{name}[{inner.Name}]", inner.Value);
                }

                break;
            default:
                if (Scalar(value) is { } s)
                {
                    AddRange(name, [s]);
                }

                break;
        }
    }

    private static string? Scalar(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private void AddRange(string key, IEnumerable<string> values)
    {
        if (!_values.TryGetValue(key, out var list))
        {
            _values[key] = list = [];
        }

        list.AddRange(values);
    }
}
