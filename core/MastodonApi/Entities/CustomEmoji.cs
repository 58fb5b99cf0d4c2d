namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>CustomEmoji (docs: entities/CustomEmoji).</summary>
public sealed record CustomEmoji(string Shortcode, string Url, string StaticUrl, bool VisibleInPicker);
