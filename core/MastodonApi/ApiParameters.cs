using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// Request parameters as Mastodon accepts them: query string, form-encoded or multipart bodies, or JSON (masto.js sends
/// JSON everywhere). Arrays arrive as <c>key[]=</c> (form) or JSON arrays; both read as <see cref="GetAll"/>.
/// </summary>
public sealed partial class ApiParameters
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

    /// <summary>
    /// The elements of an array-of-hashes parameter (Rails' <c>keywords_attributes</c>, <c>media_attributes</c>), in order:
    /// JSON objects, indexed form keys (<c>name[0][field]</c>), or <c>name[][field]</c> form keys, which are paired by
    /// position (every element must then carry the same <paramref name="fields"/>).
    /// </summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> GetHashes(string name, IReadOnlyList<string> fields)
    {
        var indexed = new SortedDictionary<int, Dictionary<string, string>>();
        foreach (var key in Names)
        {
            var m = IndexedKey().Match(key);
            if (m.Success && m.Groups["name"].Value == name && int.TryParse(m.Groups["index"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && Get(key) is { } value)
            {
                if (!indexed.TryGetValue(i, out var element))
                {
                    indexed[i] = element = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                element[m.Groups["field"].Value] = value;
            }
        }

        var list = indexed.Values.Cast<IReadOnlyDictionary<string, string>>().ToList();
        var positional = fields.ToDictionary(f => f, f => GetAll($"{name}[][{f}]"));
        var count = positional.Count == 0 ? 0 : positional.Values.Max(v => v.Count);
        for (var i = 0; i < count; i++)
        {
            list.Add(positional.Where(f => i < f.Value.Count).ToDictionary(f => f.Key, f => f.Value[i], StringComparer.Ordinal));
        }

        return list;
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)\[(?<index>\d{1,4})\]\[(?<field>[a-z_]+)\]$")]
    private static partial Regex IndexedKey();
}
