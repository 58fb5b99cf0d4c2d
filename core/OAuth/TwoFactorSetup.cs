namespace ServerlessFedi.OAuth;

/// <summary>
/// What the operator hands the account's owner once, at enrolment: the secret (base32), the <c>otpauth://</c> URI
/// authenticator apps read (Google Authenticator's Key URI Format), and the recovery codes. None of it is stored readable.
/// </summary>
public sealed record TwoFactorSetup(string Secret, string OtpAuthUri, IReadOnlyList<string> RecoveryCodes);
