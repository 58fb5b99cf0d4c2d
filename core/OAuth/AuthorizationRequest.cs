namespace ServerlessFedi.OAuth;

/// <summary>A validated <c>/oauth/authorize</c> request (RFC 6749 §4.1.1, RFC 7636 §4.3) for a registered application.</summary>
public sealed record AuthorizationRequest(
    OAuthApplication Application,
    string RedirectUri,
    IReadOnlyList<string> Scopes,
    string? State,
    string? CodeChallenge,
    string? CodeChallengeMethod,
    string? Lang);
