using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Http;
using ServerlessFedi.Localization;
using ServerlessFedi.MastodonApi;

namespace ServerlessFedi.OAuth;

/// <summary>
/// Reads an <c>/oauth/authorize</c> request (RFC 6749 §4.1.1, RFC 7636 §4.3) for a registered application. Every failure
/// is an HTML page and never a redirect to an unverified URI (RFC 6749 §4.1.2.1).
/// </summary>
public sealed partial class AuthorizationRequestValidator(OAuthApplicationStore applications, OAuthPages pages)
{
    /// <summary>Storage: 1 read (the application).</summary>
    public async Task<(AuthorizationRequest? Request, WireResult? Failure)> ValidateAsync(ApiParameters p, PageLanguage language, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(p);
        var lang = p.Get("lang") is { } l && LanguageTag().IsMatch(l) ? l : null;
        var application = await applications.FindAsync(p.Get("client_id"), cancellationToken);
        if (application is null)
        {
            return (null, pages.Error(StatusCodes.Status400BadRequest, OAuthPageError.UnknownApplication, language));
        }

        var redirectUri = p.Get("redirect_uri");
        if (redirectUri is null && application.RedirectUris.Count == 1)
        {
            redirectUri = application.RedirectUris[0];
        }

        if (redirectUri is null || !application.RedirectUris.Contains(redirectUri, StringComparer.Ordinal))
        {
            return (null, pages.Error(StatusCodes.Status400BadRequest, OAuthPageError.InvalidRedirectUri, language));
        }

        // From here on the redirect URI is registered, but errors are still shown here rather than sent to the app.
        if (p.Get("response_type") != "code")
        {
            return (null, pages.Error(StatusCodes.Status400BadRequest, OAuthPageError.UnsupportedResponseType, language));
        }

        var (scopes, unknown) = Scopes.Parse(p.Get("scope"));
        if (unknown is not null || !scopes.All(s => Scopes.Allows(application.Scopes, s)))
        {
            return (null, pages.Error(StatusCodes.Status400BadRequest, OAuthPageError.InvalidScope, language));
        }

        var challenge = p.Get("code_challenge");
        var method = p.Get("code_challenge_method");
        if (challenge is null && method is not null)
        {
            return (null, pages.Error(StatusCodes.Status400BadRequest, OAuthPageError.ChallengeMethodWithoutChallenge, language));
        }

        if (challenge is not null)
        {
            method ??= "plain";
            if (method is not ("S256" or "plain") || !Pkce.IsValue(challenge))
            {
                return (null, pages.Error(StatusCodes.Status400BadRequest, OAuthPageError.InvalidChallenge, language));
            }
        }

        var state = p.Get("state");
        if (state is { Length: > 2000 })
        {
            return (null, pages.Error(StatusCodes.Status400BadRequest, OAuthPageError.StateTooLong, language));
        }

        return (new AuthorizationRequest(application, redirectUri, scopes, state, challenge, method, lang), null);
    }

    [GeneratedRegex(@"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$")]
    private static partial Regex LanguageTag();
}
