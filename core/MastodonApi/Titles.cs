namespace ServerlessFedi.MastodonApi;

/// <summary>Titles of lists and filters, which Mastodon validates alike: not blank, at most <see cref="MaxLength"/> characters.</summary>
public static class Titles
{
    public const int MaxLength = 256;

    /// <summary>The trimmed title, or the reason it is refused (for a 422 <c>Validation failed</c>).</summary>
    public static (string? Title, string? Refusal) Check(string? title) =>
        string.IsNullOrWhiteSpace(title) ? (null, "Title can't be blank")
        : title.Length > MaxLength ? (null, $"Title is too long (maximum is {MaxLength} characters)")
        : (title.Trim(), null);
}
