using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace ServerlessFedi.Functions.Standalone;

/// <summary>
/// Calls a function's entry point the way the isolated worker binds it, limited to what both hosts can bind:
/// HTTP functions take <see cref="HttpRequest"/>, route values by parameter name and <see cref="CancellationToken"/>;
/// queue functions take the message as a string (or a POCO from JSON), plus <c>dequeueCount</c>, <c>id</c> and
/// <c>insertionTime</c> binding data; timer functions take <see cref="TimerInfo"/>. Instances come from DI per invocation.
/// </summary>
public sealed class FunctionInvoker(IServiceProvider services, Assembly functionsAssembly)
{
    private readonly ConcurrentDictionary<string, MethodInfo> _methods = new(StringComparer.Ordinal);

    /// <summary>Checks at start-up that every entry point exists and every parameter is bindable, so a bad function fails fast.</summary>
    public void Validate(IEnumerable<FunctionDescriptor> functions)
    {
        ArgumentNullException.ThrowIfNull(functions);
        var problems = new List<string>();
        foreach (var f in functions)
        {
            try
            {
                var method = Resolve(f);
                foreach (var p in method.GetParameters())
                {
                    if (p.ParameterType == typeof(FunctionContext))
                    {
                        problems.Add($"{f.Name}: parameter '{p.Name}' is a FunctionContext, which the standalone host cannot provide; inject services instead");
                    }
                }
            }
            catch (InvalidOperationException ex)
            {
                problems.Add(ex.Message);
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Functions that cannot be bound:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)));
        }
    }

    public async Task InvokeHttpAsync(FunctionDescriptor function, HttpContext context, RouteValueDictionary routeValues)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(routeValues);
        var method = Resolve(function);
        var args = method.GetParameters().Select(p => BindHttp(p, context, routeValues)).ToArray();
        var result = await InvokeAsync(method, context.RequestServices, args);
        switch (result)
        {
            case IActionResult actionResult:
                var routeData = new RouteData(routeValues);
                await actionResult.ExecuteResultAsync(new ActionContext(context, routeData, new ActionDescriptor()));
                break;
            case null:
                break;
            default:
                throw new InvalidOperationException($"{function.Name} returned {result.GetType().Name}; HTTP functions must return IActionResult.");
        }
    }

    public async Task InvokeQueueAsync(FunctionDescriptor function, string message, QueueMessageContext messageContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageContext);
        var method = Resolve(function);
        var triggerName = function.Trigger?.Name;
        var args = method.GetParameters().Select(p => BindQueue(p, triggerName, message, messageContext, cancellationToken)).ToArray();
        using var scope = services.CreateScope();
        await InvokeAsync(method, scope.ServiceProvider, args);
    }

    public async Task InvokeTimerAsync(FunctionDescriptor function, TimerInfo timer, CancellationToken cancellationToken)
    {
        var method = Resolve(function);
        var args = method.GetParameters().Select(p =>
            p.ParameterType == typeof(TimerInfo) ? timer
            : p.ParameterType == typeof(CancellationToken) ? (object)cancellationToken
            : throw new InvalidOperationException($"{function.Name}: cannot bind parameter '{p.Name}' of a timer function")).ToArray();
        using var scope = services.CreateScope();
        await InvokeAsync(method, scope.ServiceProvider, args);
    }

    private static async Task<object?> InvokeAsync(MethodInfo method, IServiceProvider provider, object?[] args)
    {
        var instance = method.IsStatic ? null : ActivatorUtilities.CreateInstance(provider, method.DeclaringType!);
        object? returned;
        try
        {
            returned = method.Invoke(instance, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
        try
        {
            // The declared return type, not the task's runtime type (an async method's state-machine box is generic even for a
            // plain Task): reading Result by reflection emits an invoke stub per box type, again after the reflection cache is collected.
            switch (returned)
            {
                case Task<IActionResult> http:
                    return await http;
                case Task task when method.ReturnType == typeof(Task):
                    await task;
                    return null;
                case Task task:
                    await task;
                    return method.ReturnType.GetProperty("Result")?.GetValue(task);
                default:
                    return returned;
            }
        }
        finally
        {
            if (instance is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else if (instance is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }
    }

    private MethodInfo Resolve(FunctionDescriptor function) =>
        _methods.GetOrAdd(function.EntryPoint, entryPoint =>
        {
            var dot = entryPoint.LastIndexOf('.');
            var typeName = dot > 0 ? entryPoint[..dot] : throw new InvalidOperationException($"{function.Name}: entryPoint '{entryPoint}' is not Namespace.Class.Method");
            var type = functionsAssembly.GetType(typeName, throwOnError: false)
                ?? throw new InvalidOperationException($"{function.Name}: type '{typeName}' not found in {functionsAssembly.GetName().Name}");
            var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
                .Where(m => m.Name == entryPoint[(dot + 1)..]).ToArray();
            return methods.Length == 1 ? methods[0]
                : throw new InvalidOperationException($"{function.Name}: expected exactly one public method '{entryPoint}', found {methods.Length}");
        });

    private static object? BindHttp(ParameterInfo p, HttpContext context, RouteValueDictionary routeValues)
    {
        if (p.ParameterType == typeof(HttpRequest))
        {
            return context.Request;
        }

        if (p.ParameterType == typeof(CancellationToken))
        {
            return context.RequestAborted;
        }

        var key = routeValues.Keys.FirstOrDefault(k => string.Equals(k, p.Name, StringComparison.OrdinalIgnoreCase));
        if (key is not null)
        {
            return Convert(routeValues[key]?.ToString(), p.ParameterType);
        }

        if (p.HasDefaultValue || IsNullable(p))
        {
            return p.HasDefaultValue ? p.DefaultValue : null;
        }

        throw new InvalidOperationException($"cannot bind HTTP function parameter '{p.Name}' ({p.ParameterType.Name})");
    }

    private static object? BindQueue(ParameterInfo p, string? triggerName, string message, QueueMessageContext ctx, CancellationToken cancellationToken)
    {
        if (p.ParameterType == typeof(CancellationToken))
        {
            return cancellationToken;
        }

        if (p.Name == triggerName || p.GetCustomAttribute<QueueTriggerAttribute>() is not null)
        {
            return p.ParameterType == typeof(string) ? message
                : p.ParameterType == typeof(BinaryData) ? BinaryData.FromString(message)
                : JsonSerializer.Deserialize(message, p.ParameterType, JsonSerializerOptions.Web);
        }

        return p.Name?.ToLowerInvariant() switch
        {
            "dequeuecount" => System.Convert.ChangeType(ctx.DequeueCount, p.ParameterType, CultureInfo.InvariantCulture),
            "id" => ctx.MessageId,
            "insertiontime" => ctx.InsertedOn,
            _ => throw new InvalidOperationException($"cannot bind queue function parameter '{p.Name}'"),
        };
    }

    private static object? Convert(string? value, Type type)
    {
        if (type == typeof(string))
        {
            return value;
        }

        var target = Nullable.GetUnderlyingType(type) ?? type;
        return value is null ? null : System.Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
    }

    private static bool IsNullable(ParameterInfo p) =>
        !p.ParameterType.IsValueType || Nullable.GetUnderlyingType(p.ParameterType) is not null;
}
