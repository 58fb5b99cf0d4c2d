using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Localization;

namespace ServerlessFedi.Web;

/// <summary>
/// Renders a Razor component to an HTML string with <see cref="HtmlRenderer"/> (static server rendering: no circuit,
/// no script). Razor escapes every value it writes; only a <see cref="MarkupString"/> passes through, and the templates
/// use that for our own formatter's status HTML alone. The page's <see cref="PageLanguage"/> cascades to every component.
/// </summary>
public sealed class PageRenderer(IServiceProvider services, ILoggerFactory loggerFactory)
{
    public async Task<string> RenderAsync<TComponent>(IDictionary<string, object?> parameters, PageLanguage language)
        where TComponent : IComponent
    {
        ArgumentNullException.ThrowIfNull(parameters);
        RenderFragment page = builder =>
        {
            builder.OpenComponent<TComponent>(0);
            foreach (var (name, value) in parameters)
            {
                builder.AddComponentParameter(1, name, value);
            }

            builder.CloseComponent();
        };

        // One renderer per page: a renderer keeps every root component it rendered until it is disposed.
        await using var renderer = new HtmlRenderer(services, loggerFactory);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<CascadingValue<PageLanguage>>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(CascadingValue<PageLanguage>.Value)] = language,
                [nameof(CascadingValue<PageLanguage>.IsFixed)] = true,
                [nameof(CascadingValue<PageLanguage>.ChildContent)] = page,
            }));
            return output.ToHtmlString();
        });
    }
}
