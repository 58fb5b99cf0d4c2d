using System.Reflection;
using System.Text.RegularExpressions;

namespace ServerlessFedi.Tests.Architecture;

/// <summary>
/// The shape issue 12 gave core, kept true by reading its types and sources: small services, files a reader can hold,
/// storage clients only in stores and the storage layer.
/// </summary>
[TestClass]
public sealed partial class CoreShapeTests
{
    public const int MaxDependencies = 10;

    public const int MaxLines = 400;

    private static readonly string CoreDir = Path.GetFullPath(
        typeof(CoreShapeTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CoreDir").Value!);

    /// <summary>Scanners, parsers and verifiers of one specification, which may be longer (issue 12).</summary>
    private static readonly HashSet<string> Specifications = new(StringComparer.Ordinal)
    {
        "Signatures/StructuredFields.cs", // RFC 8941
        "Content/TextEntityScanner.cs", // Mastodon's text entities (mentions, hashtags, links)
        "Signatures/HttpSignatureVerifier.cs", // draft-cavage-http-signatures-12 and RFC 9421
        "Media/Av/IsoMediaParser.cs", // ISO/IEC 14496-12 (MP4, MOV, M4A boxes)
    };

    /// <summary>Long files not reshaped yet; each entry names who shrinks it. Remove an entry once the file is under the limit.</summary>
    private static readonly HashSet<string> NotYetReshaped = new(StringComparer.Ordinal)
    {
    };

    /// <summary>Classes whose job is a store although their name does not say so.</summary>
    private static readonly HashSet<string> StoresByRole = new(StringComparer.Ordinal)
    {
        "Federation/WorkQueue.cs", // the work queues
        "Federation/DeliveryHealth.cs", // the delivery table: failing hosts
        "OAuth/LoginThrottle.cs", // failed logins in the oauth table
    };

    /// <summary>Services with too many dependencies that other work reshapes; remove an entry once it takes ten or fewer.</summary>
    private static readonly HashSet<string> NotYetSplit = new(StringComparer.Ordinal)
    {
    };

    [TestMethod]
    public void No_service_in_core_takes_more_than_ten_dependencies()
    {
        var counts = typeof(FediServices).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsAbstract && !IsRecord(t))
            .SelectMany(t => t.GetConstructors().Select(c => (Type: t.FullName!, Parameters: c.GetParameters().Length)))
            .ToList();
        var crowded = counts.Where(c => c.Parameters > MaxDependencies && !NotYetSplit.Contains(c.Type)).Select(c => $"{c.Type} ({c.Parameters})").ToList();
        var split = NotYetSplit.Where(t => !counts.Any(c => c.Type == t && c.Parameters > MaxDependencies)).ToList();

        Assert.IsEmpty(crowded, "constructors with more than ten dependencies: " + string.Join(", ", crowded));
        Assert.IsEmpty(split, "no longer crowded, take them off the list: " + string.Join(", ", split));
    }

    [TestMethod]
    public void No_file_in_core_is_longer_than_400_lines_but_a_specification_s_parser()
    {
        var files = Sources().ToDictionary(f => f.Path, f => File.ReadLines(f.Full).Count());
        var tooLong = files.Where(f => f.Value > MaxLines && !Specifications.Contains(f.Key) && !NotYetReshaped.Contains(f.Key)).Select(f => $"{f.Key} ({f.Value})").ToList();
        var shrunk = NotYetReshaped.Where(f => files.GetValueOrDefault(f) <= MaxLines).ToList();

        Assert.IsEmpty(tooLong, "files over 400 lines: " + string.Join(", ", tooLong));
        Assert.IsEmpty(shrunk, "no longer long, take them off the list: " + string.Join(", ", shrunk));
    }

    [TestMethod]
    public void Storage_clients_and_table_entities_are_used_only_in_stores_and_the_storage_layer()
    {
        var leaks = Sources()
            .Where(f => !f.Path.StartsWith("Storage/", StringComparison.Ordinal) && !f.Path.EndsWith("Store.cs", StringComparison.Ordinal)
                && !f.Path.EndsWith("Entity.cs", StringComparison.Ordinal) && !StoresByRole.Contains(f.Path))
            .Where(f => StorageTypes().IsMatch(File.ReadAllText(f.Full)))
            .Select(f => f.Path)
            .ToList();

        Assert.IsEmpty(leaks, "storage clients outside stores: " + string.Join(", ", leaks));
    }

    [TestMethod]
    public void Table_queries_filter_with_strings_not_expressions()
    {
        // Azure.Data.Tables compiles an expression's captured values into a new dynamic method on every query (about 5,000
        // methods JIT-compiled in 2,000 requests of scenario M); TableClient.CreateQueryFilter sends the same filter text.
        var expressions = Sources()
            .Where(f => ExpressionQuery().IsMatch(File.ReadAllText(f.Full)))
            .Select(f => f.Path)
            .ToList();

        Assert.IsEmpty(expressions, "table queries with a lambda filter: " + string.Join(", ", expressions));
    }

    /// <summary>Core's C# files, with their path relative to core in '/' form.</summary>
    private static IEnumerable<(string Path, string Full)> Sources() =>
        Directory.EnumerateFiles(CoreDir, "*.cs", SearchOption.AllDirectories)
            .Select(full => (Path: Path.GetRelativePath(CoreDir, full).Replace('\\', '/'), Full: full))
            .Where(f => !f.Path.StartsWith("bin/", StringComparison.Ordinal) && !f.Path.StartsWith("obj/", StringComparison.Ordinal));

    /// <summary>Records are data, whatever their number of members: their compiler-made <c>Clone</c> method tells them apart.</summary>
    private static bool IsRecord(Type type) => type.GetMethod("<Clone>$") is not null;

    [GeneratedRegex(@"\b(TableClient|QueueClient|BlobContainerClient|TableEntity|TableServiceClient|QueueServiceClient|BlobServiceClient)\b")]
    private static partial Regex StorageTypes();

    [GeneratedRegex(@"\.Query(Async)?<\w+>\(\s*\w+\s*=>")]
    private static partial Regex ExpressionQuery();
}
