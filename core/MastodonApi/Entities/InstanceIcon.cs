namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>One size of the instance's icon (docs: entities/Instance#icon); none are served yet.</summary>
public sealed record InstanceIcon(string Src, string Size);
