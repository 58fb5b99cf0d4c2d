using System.Globalization;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Crypto;
using ServerlessFedi.Http;
using ServerlessFedi.Localization;
using ServerlessFedi.MastodonApi;
using ServerlessFedi.Storage;

namespace ServerlessFedi.OAuth;

/// <summary>
/// The authorization endpoint (docs: methods/oauth#authorize; RFC 6749 §4.1.1-4.1.2): the login form, the password
/// check with throttling, for enrolled accounts a second step asking a TOTP or recovery code (throttled as well), and the
/// code sent to the redirect URI. A staff member of an agency account logs in the same way with their own login
/// (<see cref="LoginDirectory"/>), password, throttle and second factor; the code acts as the agency and names them.
/// </summary>
public sealed class AuthorizeHandler(
    AuthorizationRequestValidator validator,
    AuthorizationCodeStore codes,
    LoginDirectory logins,
    LoginThrottle throttle,
    ClientAddress addresses,
    OAuthPages pages,
    TwoFactorAuthenticator twoFactor,
    PendingLoginStore pendingLogins,
    FediOptions options)
{
    // Verified when the login names no account, so unknown and known names take the same time (no enumeration by timing).
    private static readonly Lazy<string> DummyHash = new(() => PasswordHasher.Hash(OAuthSecrets.NewToken()));

    /// <summary>GET /oauth/authorize: the login form, with a fresh (or the existing) CSRF token in cookie and form.</summary>
    public async Task<WireResult> AuthorizeFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (p, _) = await ApiParameters.ReadAsync(request, cancellationToken);
        if (p is null)
        {
            return pages.Error(StatusCodes.Status400BadRequest, OAuthPageError.InvalidRequest, pages.Language(request, null));
        }

        var language = pages.Language(request, p.Get("lang"));
        var (authorization, failure) = await validator.ValidateAsync(p, language, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        // force_login is honoured by construction: there is no login session, every authorization asks for the password.
        var existing = request.Cookies[pages.CsrfCookieName];
        var csrf = OAuthSecrets.LooksLikeToken(existing) ? existing! : OAuthSecrets.NewToken();
        return pages.Login(authorization!, csrf, language);
    }

    /// <summary>
    /// POST /oauth/authorize: CSRF check, then the password step (username and password) or, with <c>login_ticket</c>,
    /// the second-factor step; a code to the redirect URI once both are done.
    /// </summary>
    public async Task<WireResult> AuthorizeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasFormContentType)
        {
            return pages.Error(StatusCodes.Status400BadRequest, OAuthPageError.NotAForm, pages.Language(request, null));
        }

        var (p, _) = await ApiParameters.ReadAsync(request, cancellationToken);
        if (p is null)
        {
            return pages.Error(StatusCodes.Status400BadRequest, OAuthPageError.InvalidRequest, pages.Language(request, null));
        }

        var language = pages.Language(request, p.Get("lang"));
        var cookie = request.Cookies[pages.CsrfCookieName];
        var field = p.Get("csrf_token");
        if (!OAuthSecrets.LooksLikeToken(cookie) || !OAuthSecrets.LooksLikeToken(field) || !OAuthSecrets.FixedTimeEquals(cookie, field))
        {
            return pages.Error(StatusCodes.Status403Forbidden, OAuthPageError.FormExpired, language);
        }

        var (authorization, failure) = await validator.ValidateAsync(p, language, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var a = authorization!;
        if (p.Get("login_ticket") is { } ticket)
        {
            return await SecondFactorAsync(request, a, cookie!, ticket, p.Get("otp"), language, cancellationToken);
        }

        var login = (p.Get("username") ?? "").Trim();
        var password = p.Get("password") ?? "";
        if (login.Length is 0 or > 320 || password.Length > 1024)
        {
            return pages.Login(a, cookie!, language, StatusCodes.Status401Unauthorized, OAuthPageError.WrongCredentials);
        }

        var identity = await logins.FindAsync(login, cancellationToken);
        var subject = identity?.Subject ?? "u" + StorageKeys.Sha256Hex(login.ToLowerInvariant());

        // The check is counted before it runs (LoginThrottle), so parallel guesses cannot outrun the count.
        var claim = await throttle.ClaimAsync(subject, addresses.Of(request), cancellationToken);
        if (!claim.IsAdmitted)
        {
            return TooManyAttempts(claim, language);
        }

        // One Argon2id verification whatever the login names, so the answer's timing tells nothing.
        var verified = PasswordHasher.Verify(password, identity?.PasswordHash ?? DummyHash.Value) && identity is not null;
        if (!verified)
        {
            return pages.Login(a, cookie!, language, StatusCodes.Status401Unauthorized, OAuthPageError.WrongCredentials);
        }

        // The second factor is asked only of whoever knows the password, so whether an account has one tells nobody else anything.
        if (await twoFactor.GetEnrolmentAsync(identity!.Subject, cancellationToken) is null)
        {
            if (options.RequireTwoFactor)
            {
                return pages.Login(a, cookie!, language, StatusCodes.Status403Forbidden, OAuthPageError.TwoFactorRequired);
            }

            await throttle.ClearAsync(subject, cancellationToken);
            return await GrantAsync(a, identity.Account.Id, identity.Staff?.Name, language, cancellationToken);
        }

        // The password's claim stays counted until the second factor is right too.
        var pending = await pendingLogins.IssueAsync(identity.Account.Id, PendingLoginStore.Binding(a, cookie!), identity.Staff?.Name, cancellationToken);
        return pages.SecondFactor(a, cookie!, pending, language);
    }

    /// <summary>
    /// The second step: the ticket from the password step (bound to this form and this browser's CSRF token), a claim on
    /// the account's (or staff member's) second-factor throttle, then the code. Storage: 1 read (ticket), the claim, 1 read
    /// (account; +1 for a staff member's row), 1 read (enrolment), 1 conditional merge (code used), 1 conditional delete (ticket), 2 deletes (throttles), 1 insert (code).
    /// </summary>
    private async Task<WireResult> SecondFactorAsync(HttpRequest request, AuthorizationRequest a, string csrf, string ticket, string? code, PageLanguage language, CancellationToken cancellationToken)
    {
        var pending = await pendingLogins.FindAsync(ticket, cancellationToken);
        if (pending is null || !OAuthSecrets.FixedTimeEquals(pending.Binding, PendingLoginStore.Binding(a, csrf)))
        {
            return pages.Error(StatusCodes.Status403Forbidden, OAuthPageError.FormExpired, language);
        }

        // Deleted or removed since the password step: start again from the password.
        var identity = await logins.GetAsync(pending.AccountId, pending.Staff, cancellationToken);
        if (identity is null)
        {
            return pages.Error(StatusCodes.Status403Forbidden, OAuthPageError.FormExpired, language);
        }

        var subject = LoginThrottle.SecondFactorSubject(identity.Subject);
        var claim = await throttle.ClaimAsync(subject, addresses.Of(request), cancellationToken);
        if (!claim.IsAdmitted)
        {
            return TooManyAttempts(claim, language);
        }

        var enrolment = await twoFactor.GetEnrolmentAsync(identity.Subject, cancellationToken);
        if (enrolment is null)
        {
            // The second factor was removed in between: start again from the password.
            return pages.Error(StatusCodes.Status403Forbidden, OAuthPageError.FormExpired, language);
        }

        var verdict = await twoFactor.VerifyAsync(enrolment, code, cancellationToken);
        if (verdict is not (TwoFactorVerdict.Accepted or TwoFactorVerdict.RecoveryCodeAccepted))
        {
            return pages.SecondFactor(a, csrf, ticket, language, StatusCodes.Status401Unauthorized, OAuthPageError.WrongSecondFactor);
        }

        if (!await pendingLogins.CompleteAsync(pending, cancellationToken))
        {
            return pages.Error(StatusCodes.Status403Forbidden, OAuthPageError.FormExpired, language);
        }

        await throttle.ClearAsync(subject, cancellationToken);
        await throttle.ClearAsync(identity.Subject, cancellationToken);
        return await GrantAsync(a, pending.AccountId, pending.Staff, language, cancellationToken);
    }

    /// <summary>The login succeeded: a code for the app, on the redirect URI or shown for copying (out of band).</summary>
    private async Task<WireResult> GrantAsync(AuthorizationRequest a, string accountId, string? staff, PageLanguage language, CancellationToken cancellationToken)
    {
        var code = await codes.IssueAsync(a.Application.ClientId, a.RedirectUri, a.Scopes, accountId, a.CodeChallenge, a.CodeChallengeMethod, staff, cancellationToken);
        if (a.RedirectUri == OAuthApplicationStore.OutOfBand)
        {
            return pages.OutOfBandCode(a, code, language);
        }

        return WireResult.Redirect(RedirectUriRules.AppendQuery(a.RedirectUri, [("code", code), ("state", a.State)]))
            .WithHeader("Cache-Control", "no-store")
            .WithHeader("Referrer-Policy", "no-referrer");
    }

    private WireResult TooManyAttempts(LoginClaim claim, PageLanguage language) =>
        pages.Error(StatusCodes.Status429TooManyRequests, OAuthPageError.TooManyAttempts, language)
            .WithHeader("Retry-After", Math.Max(1, (int)Math.Ceiling(claim.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
}
