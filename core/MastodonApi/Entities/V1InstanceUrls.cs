namespace ServerlessFedi.MastodonApi.Entities;

/// <summary><c>urls</c> of V1_Instance.</summary>
public sealed record V1InstanceUrls(string StreamingApi);
