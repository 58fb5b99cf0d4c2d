namespace ServerlessFedi.OAuth;

/// <summary>
/// What the authorization pages tell a person when they cannot go on; each has a title and a message in the texts
/// (<c>OAuthError.{name}.Title</c>, <c>.Message</c>). Errors before the redirect URI is verified are shown, never redirected.
/// </summary>
public enum OAuthPageError
{
    InvalidRequest,
    NotAForm,
    FormExpired,
    UnknownApplication,
    InvalidRedirectUri,
    UnsupportedResponseType,
    InvalidScope,
    ChallengeMethodWithoutChallenge,
    InvalidChallenge,
    StateTooLong,
    TooManyAttempts,
    WrongCredentials,
    WrongSecondFactor,
    TwoFactorRequired,
}
