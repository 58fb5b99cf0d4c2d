using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace ServerlessFedi.Benchmarks;

/// <summary>Puts every HTTP request the host serves under the phase <paramref name="phase"/> names at that moment.</summary>
public sealed class PhaseStartupFilter(Func<string> phase) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            Phase.Set(phase());
            await nextMiddleware(context);
        });
        next(app);
    };
}
