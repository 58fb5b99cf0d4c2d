namespace ServerlessFedi.MastodonApi.Entities;

/// <summary><c>thumbnail</c> of the Instance.</summary>
public sealed record InstanceThumbnail(string Url);
