using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Constraints;
using Microsoft.AspNetCore.Routing.Template;

namespace ServerlessFedi.Functions.Standalone;

/// <summary>
/// HTTP routing as the Functions host does it: route prefix from host.json, routes tried in the order of the
/// functions' names (case-insensitive) and the first template that matches (path, constraints and method) wins.
/// There is no ranking by specificity. Start-up refuses what the host refuses: routes starting with <c>admin</c> or
/// <c>runtime</c>, and (our rule, since no function keys exist here) any HTTP function that is not anonymous.
/// </summary>
public sealed class HttpRouteTable
{
    private readonly IReadOnlyList<Entry> _entries;

    private HttpRouteTable(IReadOnlyList<Entry> entries) => _entries = entries;

    public IEnumerable<string> FunctionNames => _entries.Select(e => e.Function.Name);

    public static HttpRouteTable Create(IEnumerable<FunctionDescriptor> functions, string routePrefix, IInlineConstraintResolver constraintResolver)
    {
        ArgumentNullException.ThrowIfNull(functions);
        ArgumentNullException.ThrowIfNull(constraintResolver);
        var problems = new List<string>();
        var entries = new List<Entry>();
        foreach (var function in functions.OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase))
        {
            var trigger = function.Trigger;
            if (trigger is null || !trigger.Type.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // The host falls back to the function name for an empty or blank route (a site-root function needs an optional parameter).
            var route = (string.IsNullOrWhiteSpace(trigger.Route) ? function.Name : trigger.Route).Trim('/');
            if (route.StartsWith("admin", StringComparison.OrdinalIgnoreCase) || route.StartsWith("runtime", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"function '{function.Name}': route '{route}' starts with 'admin' or 'runtime', which the Functions host reserves and refuses at start-up");
                continue;
            }

            if (!string.Equals(trigger.AuthLevel, "Anonymous", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"function '{function.Name}': authLevel is '{trigger.AuthLevel ?? "Function"}'; public endpoints must be AuthorizationLevel.Anonymous or the host answers 401 without a function key");
                continue;
            }

            var full = string.IsNullOrEmpty(routePrefix) ? route : $"{routePrefix.Trim('/')}/{route}";
            RouteTemplate template;
            try
            {
                template = TemplateParser.Parse(full);
            }
            catch (ArgumentException ex)
            {
                problems.Add($"function '{function.Name}': route '{full}' is not a valid route template: {ex.Message}");
                continue;
            }

            var constraints = new List<(string Name, IRouteConstraint Constraint)>();
            foreach (var parameter in template.Parameters)
            {
                foreach (var inline in parameter.InlineConstraints)
                {
                    var constraint = constraintResolver.ResolveConstraint(inline.Constraint);
                    if (constraint is null)
                    {
                        problems.Add($"function '{function.Name}': unknown route constraint '{inline.Constraint}'");
                        continue;
                    }

                    // As ASP.NET Core routing does, a constraint on an optional parameter holds when the value is absent.
                    constraints.Add((parameter.Name!, parameter.IsOptional ? new OptionalRouteConstraint(constraint) : constraint));
                }
            }

            var methods = trigger.Methods is { Count: > 0 } m ? new HashSet<string>(m, StringComparer.OrdinalIgnoreCase) : null;
            entries.Add(new Entry(function, full, LiteralPrefix(template), new TemplateMatcher(template, new RouteValueDictionary()), constraints, methods));
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The Functions host would refuse these functions:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)));
        }

        return new HttpRouteTable(entries);
    }

    /// <summary>The first function, in name order, whose template, constraints and methods accept the request; null means 404.</summary>
    public RouteMatch? Match(string method, string path, HttpContext? httpContext = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var pathString = new PathString(path.StartsWith('/') ? path : "/" + path);
        var segments = pathString.Value.AsSpan(1);
        foreach (var entry in _entries)
        {
            // A template's leading literal segments must be the path's (as the matcher compares them, ignoring case):
            // most templates are ruled out by that alone, without a matcher run or its dictionary.
            if (!StartsWithSegments(segments, entry.LiteralPrefix))
            {
                continue;
            }

            var values = new RouteValueDictionary();
            if (!entry.Matcher.TryMatch(pathString, values))
            {
                continue;
            }

            var accepted = true;
            foreach (var (name, constraint) in entry.Constraints)
            {
                if (!constraint.Match(httpContext, null, name, values, RouteDirection.IncomingRequest))
                {
                    accepted = false;
                    break;
                }
            }

            if (!accepted || (entry.Methods is not null && !entry.Methods.Contains(method)))
            {
                continue;
            }

            return new RouteMatch(entry.Function, entry.Template, values);
        }

        return null;
    }

    /// <summary>The template's leading segments that are one literal each, joined by <c>/</c> ("" when it starts with a parameter).</summary>
    private static string LiteralPrefix(RouteTemplate template) =>
        string.Join('/', template.Segments.TakeWhile(s => s.IsSimple && s.Parts[0].IsLiteral).Select(s => s.Parts[0].Text));

    private static bool StartsWithSegments(ReadOnlySpan<char> path, string prefix) =>
        prefix.Length == 0 || (path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && (path.Length == prefix.Length || path[prefix.Length] == '/'));

    private sealed record Entry(
        FunctionDescriptor Function,
        string Template,
        string LiteralPrefix,
        TemplateMatcher Matcher,
        IReadOnlyList<(string Name, IRouteConstraint Constraint)> Constraints,
        HashSet<string>? Methods);
}
