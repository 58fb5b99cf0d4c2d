using Microsoft.AspNetCore.Routing;

namespace ServerlessFedi.Functions.Standalone;

public sealed record RouteMatch(FunctionDescriptor Function, string Template, RouteValueDictionary Values);
