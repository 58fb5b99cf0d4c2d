namespace ServerlessFedi.Media.Av;

/// <summary>A container read: its <see cref="AvInfo"/>, or why it is refused (Mastodon's 422 <c>Validation failed: ...</c> text).</summary>
public sealed record AvProbe(AvInfo? Info, string? Error)
{
    public static AvProbe Ok(AvInfo info) => new(info, null);

    public static AvProbe Invalid(string reason) => new(null, "Validation failed: " + reason);
}
