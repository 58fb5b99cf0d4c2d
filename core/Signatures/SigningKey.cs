namespace ServerlessFedi.Signatures;

/// <summary>An actor's RSA key for signing outgoing requests; <see cref="KeyId"/> is the actor's <c>#main-key</c> URL.</summary>
public sealed record SigningKey(string KeyId, string PrivateKeyPem);
