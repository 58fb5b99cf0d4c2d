using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Logging;

namespace ServerlessFedi.Web;

/// <summary>
/// Renders a Razor component to an HTML string with <see cref="HtmlRenderer"/> (static server rendering: no circuit,
/// no script). Razor escapes every value it writes; only a <see cref="MarkupString"/> passes through, and the templates
/// use that for our own formatter's status HTML alone.
/// </summary>
public sealed class PageRenderer(IServiceProvider services, ILoggerFactory loggerFactory)
{
    public async Task<string> RenderAsync<TComponent>(IDictionary<string, object?> parameters)
        where TComponent : IComponent
    {
        // One renderer per page: a renderer keeps every root component it rendered until it is disposed.
        await using var renderer = new HtmlRenderer(services, loggerFactory);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters));
            return output.ToHtmlString();
        });
    }
}
