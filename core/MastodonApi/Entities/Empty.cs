namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>The empty object <c>{}</c> Mastodon answers when an action has nothing to return (dismiss, delete, clear).</summary>
public sealed record Empty
{
    public static Empty Value { get; } = new();
}
