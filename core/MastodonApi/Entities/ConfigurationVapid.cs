namespace ServerlessFedi.MastodonApi.Entities;

/// <summary><c>configuration[vapid]</c> (v2); empty while Web Push is not offered.</summary>
public sealed record ConfigurationVapid(string PublicKey);
