using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace ServerlessFedi.Tests.MastodonApi;

/// <summary>
/// Golden JSON files in <c>MastodonApi/Golden</c>: what the API answered when the file was written, compared in order
/// (property order and array order count) as indented text, with a line diff on mismatch. A changed file is a deliberate
/// compatibility change: rerun the tests with <c>FEDI_UPDATE_GOLDEN=1</c> to rewrite the files from today's output, then
/// review the diff in git. A missing file fails (so a typo in a name cannot pass silently) unless the variable is set.
/// </summary>
internal static class GoldenJson
{
    public const string UpdateVariable = "FEDI_UPDATE_GOLDEN";

    /// <summary>The answer's headers that are part of the contract (the rate-limit counter and transport headers are not).</summary>
    private static readonly string[] ContractHeaders =
    [
        "Access-Control-Allow-Origin", "Access-Control-Expose-Headers", "Cache-Control", "Content-Type", "Link", "Location",
        "Retry-After", "WWW-Authenticate", "X-RateLimit-Limit", "X-RateLimit-Reset",
    ];

    /// <summary>Compact bodies as the server writes them: no HTML-sensitive escapes (WireResult's encoder).</summary>
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonSerializerOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true, NewLine = "\n" };

    private static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) is "1" or "true";

    /// <summary>Compares an entity, as the API serialises it, with <c>Golden/{name}.json</c>.</summary>
    public static void Match<T>(string name, T entity, JsonTypeInfo<T> type) =>
        Compare(name, (JsonSerializer.SerializeToNode(entity, type)?.ToJsonString(Indented) ?? "null") + "\n");

    /// <summary>
    /// Compares an HTTP answer: status, the contract headers and the body, after checking that the body is compact JSON
    /// exactly as the server's serializer writes it (so escaping and number formats are pinned too).
    /// </summary>
    public static async Task MatchAsync(string name, HttpResponseMessage response, params (string Pattern, string Replacement)[] scrub)
    {
        ArgumentNullException.ThrowIfNull(response);
        var raw = await response.Content.ReadAsStringAsync();
        var headers = new JsonObject();
        foreach (var header in ContractHeaders)
        {
            if (response.Headers.TryGetValues(header, out var values) || response.Content.Headers.TryGetValues(header, out values))
            {
                headers[header] = string.Join(", ", values);
            }
        }

        JsonNode? body = null;
        if (raw.Length > 0)
        {
            body = JsonNode.Parse(raw);
            Assert.AreEqual(body!.ToJsonString(Compact), raw, $"{name}: the body is not in the serializer's compact form");
        }

        var document = new JsonObject { ["status"] = (int)response.StatusCode, ["headers"] = headers, ["body"] = body };
        var text = document.ToJsonString(Indented) + "\n";
        foreach (var (pattern, replacement) in scrub)
        {
            text = Regex.Replace(text, pattern, replacement);
        }

        Compare(name, text);
    }

    /// <summary>Values that differ on every run (random client secrets, tokens, file names), replaced before comparing.</summary>
    public static (string Pattern, string Replacement) Property(string property) => ($"\"{Regex.Escape(property)}\": \"[^\"]*\"", $"\"{property}\": \"(scrubbed)\"");

    /// <summary>The random segment of uploaded media file names (<c>{mediaId}/{token}/original.ext</c>).</summary>
    public static (string Pattern, string Replacement) MediaToken { get; } = (@"/(\d{18})/[0-9a-f]{16}/", "/$1/(token)/");

    private static void Compare(string name, string actual, [CallerFilePath] string source = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(source)!, "Golden", name + ".json");
        if (Updating)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual, new UTF8Encoding(false));
            return;
        }

        Assert.IsTrue(File.Exists(path), $"no golden file {path}; run the tests with {UpdateVariable}=1 to write it from today's output");
        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected != actual)
        {
            Assert.Fail($"{name}.json differs from the golden file (- golden, + now; {UpdateVariable}=1 rewrites it):\n{Diff(expected, actual)}");
        }
    }

    /// <summary>A line diff (longest common subsequence) with two lines of context around each change.</summary>
    private static string Diff(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var lines = new List<(char Kind, string Text)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                lines.Add((' ', a[x++]));
                y++;
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                lines.Add(('-', a[x++]));
            }
            else
            {
                lines.Add(('+', b[y++]));
            }
        }

        var sb = new StringBuilder();
        var shownUpTo = -1;
        for (var k = 0; k < lines.Count; k++)
        {
            if (lines[k].Kind == ' ')
            {
                continue;
            }

            var start = Math.Max(shownUpTo + 1, k - 2);
            if (shownUpTo >= 0 && start > shownUpTo + 1)
            {
                sb.Append("  ...\n");
            }

            for (var c = start; c <= Math.Min(lines.Count - 1, k + 2); c++)
            {
                sb.Append(lines[c].Kind).Append(' ').Append(lines[c].Text).Append('\n');
                shownUpTo = c;
            }
        }

        return sb.ToString();
    }
}
