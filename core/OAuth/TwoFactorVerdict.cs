namespace ServerlessFedi.OAuth;

/// <summary>The answer to a second-factor code: a TOTP code or a recovery code accepted (each once), or refused.</summary>
public enum TwoFactorVerdict
{
    Accepted,
    RecoveryCodeAccepted,
    Wrong,

    /// <summary>A right TOTP code of a time step already used (RFC 6238 §5.2): a replayed or shoulder-surfed code.</summary>
    Replayed,
}
