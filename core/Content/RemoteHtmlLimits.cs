namespace ServerlessFedi.Content;

/// <summary>
/// How much remote HTML one field may cost, checked on the raw markup before anything parses it (see
/// <see cref="RemoteHtml.Sanitize(string?, RemoteHtmlLimits)"/>): the parser and the sanitiser work per element and, for
/// nested elements they remove, per element times depth, so both are bounded, as is the stored result.
/// </summary>
/// <param name="MaxInputChars">Characters of markup read; the rest is cut before parsing.</param>
/// <param name="MaxNodes">Elements and attributes in the markup read; above it only the text is kept.</param>
/// <param name="MaxDepth">Nesting of elements (estimated from the markup, never below the real depth by more than the parser's implied elements); above it only the text is kept.</param>
/// <param name="MaxOutputChars">Characters of the sanitised result; above it only the text is kept, cut to fit.</param>
public sealed record RemoteHtmlLimits(int MaxInputChars, int MaxNodes, int MaxDepth, int MaxOutputChars);
