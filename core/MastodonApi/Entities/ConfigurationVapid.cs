namespace ServerlessFedi.MastodonApi.Entities;

/// <summary><c>configuration[vapid]</c> (v2); the instance's VAPID public key (base64url), which apps give the browser as <c>applicationServerKey</c>.</summary>
public sealed record ConfigurationVapid(string PublicKey);
