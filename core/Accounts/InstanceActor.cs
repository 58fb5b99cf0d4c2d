namespace ServerlessFedi.Accounts;

/// <summary>
/// The instance's own Application actor, which signs fetches that no account makes (authorised-fetch servers refuse
/// unsigned GETs). Created on first use.
/// </summary>
public sealed record InstanceActor(DateTimeOffset CreatedAt, string RsaPrivateKeyPem, string RsaPublicKeyPem);
