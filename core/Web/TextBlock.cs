namespace ServerlessFedi.Web;

/// <summary>A paragraph (lines joined by line breaks) or a heading of operator or account text; rendered escaped.</summary>
public sealed record TextBlock(bool IsHeading, IReadOnlyList<string> Lines);
