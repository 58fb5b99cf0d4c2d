using Microsoft.AspNetCore.Components;
using ServerlessFedi.Localization;

namespace ServerlessFedi.Web;

/// <summary>Base of the page components (see Pages/_Imports.razor): the page's language, cascaded by <see cref="PageRenderer"/>.</summary>
public abstract class LocalizedComponent : ComponentBase
{
    /// <summary>Texts, numbers and dates in the page's language; <c>Text.Link</c> keeps the reader's <c>?lang=</c> on our links.</summary>
    [CascadingParameter]
    public PageLanguage Text { get; set; } = null!;
}
