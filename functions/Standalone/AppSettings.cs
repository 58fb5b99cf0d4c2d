using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace ServerlessFedi.Functions.Standalone;

/// <summary>
/// Configuration outside the Functions host: <c>local.settings.json</c> <c>Values</c> (as Core Tools reads them) from the
/// working directory, else from beside the executable (the build copies the functions folder's or the repository root's
/// there), then environment variables, then the command line. Also resolves the host's <c>%Setting%</c> binding expressions.
/// </summary>
public static class AppSettings
{
    public static IConfigurationRoot Build(string[] args, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var builder = new ConfigurationBuilder();
        var local = FindLocalSettings();
        if (local is not null)
        {
            builder.AddInMemoryCollection(ReadLocalSettings(local));
        }

        builder.AddEnvironmentVariables();
        builder.AddCommandLine(args ?? []);
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        return builder.Build();
    }

    /// <summary>Replaces every <c>%Name%</c> with the setting's value, as the host's name resolver does; a missing setting is an error.</summary>
    public static string Resolve(string template, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(configuration);
        var parts = template.Split('%');
        if (parts.Length % 2 == 0)
        {
            throw new InvalidOperationException($"'{template}' has an unmatched '%'.");
        }

        for (var i = 1; i < parts.Length; i += 2)
        {
            var name = parts[i];
            parts[i] = configuration[name] ?? configuration[name.Replace("__", ":", StringComparison.Ordinal)]
                ?? throw new InvalidOperationException($"'%{name}%' does not resolve to a value: set the app setting {name}.");
        }

        return string.Concat(parts);
    }

    private static string? FindLocalSettings()
    {
        foreach (var dir in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            var path = Path.Combine(dir, "local.settings.json");
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    private static Dictionary<string, string?> ReadLocalSettings(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (doc.RootElement.TryGetProperty("Values", out var v) && v.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in v.EnumerateObject())
            {
                values[p.Name.Replace("__", ":", StringComparison.Ordinal)] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText();
            }
        }

        return values;
    }
}
