using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ServerlessFedi.OAuth;

/// <summary>PKCE (RFC 7636): the shape of challenges and verifiers, and the check at the token endpoint.</summary>
public static partial class Pkce
{
    /// <summary>RFC 7636 §4.1: 43-128 unreserved characters (the same shape for challenge and verifier).</summary>
    public static bool IsValue(string? value) => value is not null && PkceValue().IsMatch(value);

    /// <summary>Null when the verifier satisfies the code's challenge (RFC 7636 §4.6); otherwise the reason.</summary>
    public static string? Check(AuthorizationCode grant, string? verifier)
    {
        ArgumentNullException.ThrowIfNull(grant);
        if (grant.CodeChallenge is null)
        {
            // A verifier without a challenge is refused (OAuth 2.1 §4.1.3): it signals a downgraded or mixed-up request.
            return verifier is null ? null : "code_verifier was sent but the authorization request had no code_challenge";
        }

        if (!IsValue(verifier))
        {
            return "code_verifier is missing or malformed";
        }

        var expected = grant.CodeChallengeMethod == "S256"
            ? OAuthSecrets.Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier!)))
            : verifier;
        return OAuthSecrets.FixedTimeEquals(expected, grant.CodeChallenge) ? null : "code_verifier does not match the code_challenge";
    }

    [GeneratedRegex(@"^[A-Za-z0-9\-._~]{43,128}$")]
    private static partial Regex PkceValue();
}
