namespace ServerlessFedi.OAuth;

/// <summary>
/// An account's TOTP enrolment as stored: the secret sealed by <see cref="TotpSecretProtector"/>, the last time step a code
/// was accepted for (RFC 6238 §5.2: a code is accepted once), the SHA-256 of each unused recovery code, and the row's ETag.
/// </summary>
public sealed record TwoFactorEnrolment(
    string AccountId,
    byte[] ProtectedSecret,
    long LastUsedStep,
    IReadOnlyList<string> RecoveryCodeHashes,
    DateTimeOffset EnabledAt,
    string ETag);
