using System.Reflection;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ServerlessFedi.Functions.Standalone;

namespace ServerlessFedi.Tests.Infrastructure;

/// <summary>The built functions app: its output folder, its real <c>functions.metadata</c> and the repository's <c>host.json</c>.</summary>
public static class FunctionsApp
{
    public static string OutputDirectory { get; } = Path.GetFullPath(
        typeof(FunctionsApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FunctionsOutputDir").Value!);

    public static IReadOnlyList<FunctionDescriptor> Metadata { get; } = FunctionDescriptor.Load(Path.Combine(OutputDirectory, "functions.metadata"));

    public static HostJsonSettings HostJson { get; } = HostJsonSettings.Load(Path.Combine(OutputDirectory, "host.json"));

    public static IInlineConstraintResolver ConstraintResolver { get; } =
        new ServiceCollection().AddRouting().BuildServiceProvider().GetRequiredService<IInlineConstraintResolver>();

    public static HttpRouteTable Routes(IEnumerable<FunctionDescriptor>? functions = null, string? routePrefix = null) =>
        HttpRouteTable.Create(functions ?? Metadata, routePrefix ?? HostJson.RoutePrefix, ConstraintResolver);
}
