using System.Globalization;
using System.Text;

namespace ServerlessFedi.Signatures;

/// <summary>
/// Verifies the signature of an incoming request: RFC 9421 when <c>Signature-Input</c> is present, else draft-cavage-http-signatures-12
/// (<c>Signature</c> or <c>Authorization: Signature</c>). The policy is Mastodon's (app/lib/signed_request.rb): the date or creation time
/// signed and within <see cref="SignatureTimeWindow"/>, the request target signed, the body digest signed and matching when there is a
/// body, the host signed on GET. The policy is checked before any key is fetched. Whether the key's owner is the activity's actor is the
/// caller's decision (<see cref="IsOwnedBy"/>). Exceptions from the <see cref="IPublicKeyResolver"/> propagate: a failed fetch is not a verdict.
/// Rejection reasons are short lower-case phrases that never contain key material.
/// </summary>
public sealed class HttpSignatureVerifier(IPublicKeyResolver keys, TimeProvider time)
{
    public const string DraftCavageScheme = "draft-cavage-12";
    public const string Rfc9421Scheme = "rfc9421";

    /// <summary>Starts the reason when the resolver knows no key for the keyId (the inbox accepts a deleted actor's own Delete on it).</summary>
    public const string UnknownKeyPrefix = "unknown key";

    private static readonly string[] HttpDateFormats =
    [
        "r",
        "dddd, dd-MMM-yy HH:mm:ss 'GMT'",
        "ddd MMM d HH:mm:ss yyyy",
    ];

    public async Task<SignatureVerification> VerifyAsync(SignatureRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var signatureInput = SignatureHeaders.Get(request.Headers, "signature-input");
        var signature = SignatureHeaders.Get(request.Headers, "signature");
        if (signatureInput is not null && signature is not null)
        {
            return await VerifyMessageSignatureAsync(request, signatureInput, signature, cancellationToken);
        }

        if (signature is not null)
        {
            return await VerifyCavageAsync(request, signature, cancellationToken);
        }

        // draft-cavage-12 §3.1: the same parameters may come as an Authorization header with the "Signature" scheme.
        if (SignatureHeaders.Get(request.Headers, "authorization") is { } authorization
            && authorization.StartsWith("Signature ", StringComparison.OrdinalIgnoreCase))
        {
            return await VerifyCavageAsync(request, authorization["Signature ".Length..], cancellationToken);
        }

        return Reject("no signature");
    }

    /// <summary>True when the verified key belongs to <paramref name="actorId"/>: the inbox requires it of the activity's actor.</summary>
    public static bool IsOwnedBy(PublicKeyMaterial key, string actorId)
    {
        ArgumentNullException.ThrowIfNull(key);
        return !string.IsNullOrEmpty(actorId) && string.Equals(key.OwnerId, actorId, StringComparison.Ordinal);
    }

    /// <summary>Checks a draft-cavage signature over the header list it names, with no policy, no time window and no key lookup.</summary>
    internal static bool VerifyCavageWithoutPolicy(SignatureRequest request, string signatureHeader, PublicKeyMaterial key) =>
        CavageSignature.Parse(signatureHeader, out _) is { } signature
        && CavageSignature.BuildSigningString(request, signature.Headers, signature.Created, signature.Expires, includeQuery: true, out _)
            is { } signingString
        && VerifyCavage(key, signature, signingString, null);

    internal static string? BuildCavageSigningString(SignatureRequest request, string signatureHeader) =>
        CavageSignature.Parse(signatureHeader, out _) is { } signature
            ? CavageSignature.BuildSigningString(request, signature.Headers, signature.Created, signature.Expires, includeQuery: true, out _)
            : null;

    /// <summary>Checks the RFC 9421 signature <paramref name="label"/> of the request's headers, with no policy, no time window and no key lookup.</summary>
    internal static bool VerifyMessageSignatureWithoutPolicy(SignatureRequest request, string label, PublicKeyMaterial key) =>
        FindMessageSignature(request, label) is { Value: { } value } signature
        && signature.BuildSignatureBase(request, out _) is { } signatureBase
        && VerifyMessage(key, signature.Parameter("alg") as string, value, signatureBase);

    internal static string? BuildMessageSignatureBase(SignatureRequest request, string label) =>
        FindMessageSignature(request, label)?.BuildSignatureBase(request, out _);

    private static MessageSignature? FindMessageSignature(SignatureRequest request, string label)
    {
        var input = SignatureHeaders.Get(request.Headers, "signature-input");
        var signature = SignatureHeaders.Get(request.Headers, "signature");
        return input is null || signature is null
            ? null
            : MessageSignature.Parse(input, signature, out _)?.FirstOrDefault(candidate => candidate.Label == label);
    }

    private async Task<SignatureVerification> VerifyCavageAsync(SignatureRequest request, string header, CancellationToken cancellationToken)
    {
        if (CavageSignature.Parse(header, out var reason) is not { } signature)
        {
            return Reject(reason);
        }

        if (signature.Algorithm is not (null or "rsa-sha256" or "hs2019"))
        {
            return Reject("signature algorithm is not supported");
        }

        if (CheckCavagePolicy(request, signature) is { } policyFailure)
        {
            return Reject(policyFailure);
        }

        if (CavageSignature.BuildSigningString(request, signature.Headers, signature.Created, signature.Expires, includeQuery: true, out reason)
            is not { } signingString)
        {
            return Reject(reason);
        }

        // Mastodon also accepts a (request-target) without the query string: older Mastodon and Fedify sign only the path.
        var withoutQuery = request.PathAndQuery.Contains('?', StringComparison.Ordinal)
            ? CavageSignature.BuildSigningString(request, signature.Headers, signature.Created, signature.Expires, includeQuery: false, out _)
            : null;

        return await ResolveAndVerifyAsync(
            signature.KeyId,
            DraftCavageScheme,
            key => VerifyCavage(key, signature, signingString, withoutQuery),
            cancellationToken);
    }

    private string? CheckCavagePolicy(SignatureRequest request, CavageSignature signature)
    {
        var headers = signature.Headers;
        var signsCreated = headers.Contains("(created)");
        var signsExpires = headers.Contains("(expires)");

        // draft-cavage-12 §2.3: (created) and (expires) are errors with the rsa-*, hmac-* and ecdsa-* algorithms.
        if ((signsCreated || signsExpires) && signature.Algorithm == "rsa-sha256")
        {
            return "(created) and (expires) cannot be signed with rsa-sha256";
        }

        if (!headers.Contains("date") && !signsCreated)
        {
            return "date or (created) must be signed";
        }

        if (!headers.Contains("(request-target)"))
        {
            return "(request-target) must be signed";
        }

        if (HasBody(request) && !headers.Contains("digest"))
        {
            return "digest must be signed for a request with a body";
        }

        if (IsSafeMethod(request.Method) && !headers.Contains("host"))
        {
            return "host must be signed for a GET request";
        }

        if (headers.Contains("host") && CheckHost(request) is { } hostFailure)
        {
            return hostFailure;
        }

        if (headers.Contains("digest") && BodyDigest.CheckDigest(SignatureHeaders.Get(request.Headers, "digest"), request.Body) is { } digestFailure)
        {
            return digestFailure;
        }

        DateTimeOffset created;
        if (signsCreated)
        {
            if (CavageSignature.ParseUnixTime(signature.Created) is not { } signedCreated)
            {
                return "(created) is signed but created is missing or invalid";
            }

            created = signedCreated;
        }
        else if (ParseHttpDate(SignatureHeaders.Get(request.Headers, "date")) is { } date)
        {
            created = date;
        }
        else
        {
            return "date header is missing or invalid";
        }

        var expires = CavageSignature.ParseUnixTime(signature.Expires);
        if (signsExpires && expires is null)
        {
            return "(expires) is signed but expires is missing or invalid";
        }

        var now = time.GetUtcNow();
        if (!signsExpires && expires is { } unsignedExpires && now > unsignedExpires + SignatureTimeWindow.ClockSkewMargin)
        {
            return "signature has expired";
        }

        // An unsigned expires may shorten the window (above) but never lengthen it.
        return SignatureTimeWindow.Check(created, signsExpires ? expires : null, now);
    }

    private static bool VerifyCavage(PublicKeyMaterial key, CavageSignature signature, string signingString, string? signingStringWithoutQuery)
    {
        // rsa-sha256 names its algorithm; hs2019 (and no algorithm) leave it to the key: RSASSA-PKCS1-v1_5 SHA-256 for RSA as
        // Mastodon does, Ed25519 for Ed25519.
        SignatureAlgorithmKind? algorithm = signature.Algorithm switch
        {
            "rsa-sha256" => IsRsa(key) ? SignatureAlgorithmKind.RsaPkcs1Sha256 : null,
            _ => IsRsa(key) ? SignatureAlgorithmKind.RsaPkcs1Sha256 : IsEd25519(key) ? SignatureAlgorithmKind.Ed25519 : null,
        };
        if (algorithm is not { } kind)
        {
            return false;
        }

        return SignatureCrypto.Verify(key, kind, Encoding.UTF8.GetBytes(signingString), signature.Signature)
            || (signingStringWithoutQuery is not null
                && SignatureCrypto.Verify(key, kind, Encoding.UTF8.GetBytes(signingStringWithoutQuery), signature.Signature));
    }

    private async Task<SignatureVerification> VerifyMessageSignatureAsync(
        SignatureRequest request,
        string signatureInput,
        string signatureHeader,
        CancellationToken cancellationToken)
    {
        if (MessageSignature.Parse(signatureInput, signatureHeader, out var reason) is not { } signatures)
        {
            return Reject(reason);
        }

        // The first label that satisfies the policy is the one verified; the others are ignored.
        string? firstFailure = null;
        foreach (var signature in signatures)
        {
            var failure = CheckMessagePolicy(request, signature, out var signatureBase);
            if (failure is null && signature.Value is { } value && signature.Parameter("keyid") is string keyId)
            {
                var algorithm = signature.Parameter("alg") as string;
                return await ResolveAndVerifyAsync(
                    keyId,
                    Rfc9421Scheme,
                    key => VerifyMessage(key, algorithm, value, signatureBase!),
                    cancellationToken);
            }

            firstFailure ??= failure;
        }

        return Reject(firstFailure ?? "no usable signature");
    }

    private string? CheckMessagePolicy(SignatureRequest request, MessageSignature signature, out string? signatureBase)
    {
        signatureBase = null;
        if (signature.Value is null)
        {
            return $"signature has no value for label {SignatureHeaders.Printable(signature.Label)}";
        }

        if (signature.Parameter("keyid") is not string { Length: > 0 and <= CavageSignature.MaxKeyIdLength })
        {
            return "signature-input has no valid keyid";
        }

        switch (signature.Parameter("alg"))
        {
            case null:
            case "rsa-v1_5-sha256" or "rsa-pss-sha512" or "ed25519":
                break;
            case string other:
                return $"signature algorithm {SignatureHeaders.Printable(other)} is not supported";
            default:
                return "signature-input alg is malformed";
        }

        var createdParameter = signature.Parameter("created");
        var expiresParameter = signature.Parameter("expires");
        if (createdParameter is not (null or long) || expiresParameter is not (null or long))
        {
            return "signature-input created and expires must be integers";
        }

        if (signature.ComponentNames() is not { } components)
        {
            return "signature covers an unsupported component";
        }

        if (components.Distinct(StringComparer.Ordinal).Count() != components.Count)
        {
            return "signature covers a component twice";
        }

        if (createdParameter is null && !components.Contains("date"))
        {
            return "signature must carry created or cover date";
        }

        var coversTarget = components.Contains("@target-uri")
            || components.Contains("@request-target")
            || (components.Contains("@path") && (components.Contains("@query") || !request.PathAndQuery.Contains('?', StringComparison.Ordinal)));
        if (!components.Contains("@method") || !coversTarget)
        {
            return "signature must cover @method and the target URI";
        }

        if (HasBody(request) && !components.Contains("content-digest"))
        {
            return "content-digest must be signed for a request with a body";
        }

        if (IsSafeMethod(request.Method)
            && !components.Contains("@authority") && !components.Contains("@target-uri") && !components.Contains("host"))
        {
            return "@authority must be signed for a GET request";
        }

        if (components.Contains("host") && CheckHost(request) is { } hostFailure)
        {
            return hostFailure;
        }

        if (components.Contains("content-digest")
            && BodyDigest.CheckContentDigest(SignatureHeaders.Get(request.Headers, "content-digest"), request.Body) is { } digestFailure)
        {
            return digestFailure;
        }

        DateTimeOffset created;
        if (createdParameter is long createdSeconds)
        {
            if (FromUnixSeconds(createdSeconds) is not { } signedCreated)
            {
                return "signature-input created is out of range";
            }

            created = signedCreated;
        }
        else if (ParseHttpDate(SignatureHeaders.Get(request.Headers, "date")) is { } date)
        {
            created = date;
        }
        else
        {
            return "date header is missing or invalid";
        }

        DateTimeOffset? expires = null;
        if (expiresParameter is long expiresSeconds)
        {
            expires = FromUnixSeconds(expiresSeconds);
            if (expires is null)
            {
                return "signature-input expires is out of range";
            }
        }

        if (SignatureTimeWindow.Check(created, expires, time.GetUtcNow()) is { } windowFailure)
        {
            return windowFailure;
        }

        signatureBase = signature.BuildSignatureBase(request, out var baseFailure);
        return signatureBase is null ? baseFailure : null;
    }

    private static bool VerifyMessage(PublicKeyMaterial key, string? algorithm, byte[] signature, string signatureBase)
    {
        var data = Encoding.UTF8.GetBytes(signatureBase);
        return algorithm switch
        {
            "rsa-v1_5-sha256" => IsRsa(key) && SignatureCrypto.Verify(key, SignatureAlgorithmKind.RsaPkcs1Sha256, data, signature),
            "rsa-pss-sha512" => IsRsa(key) && SignatureCrypto.Verify(key, SignatureAlgorithmKind.RsaPssSha512, data, signature),
            "ed25519" => IsEd25519(key) && SignatureCrypto.Verify(key, SignatureAlgorithmKind.Ed25519, data, signature),

            // RFC 9421 §3.2: without alg the key decides. An RSA key may sign with PKCS#1 v1.5 (what fediverse servers use)
            // or PSS (what RFC 9421's own examples in Appendix B.2 use).
            null when IsRsa(key) => SignatureCrypto.Verify(key, SignatureAlgorithmKind.RsaPkcs1Sha256, data, signature)
                || SignatureCrypto.Verify(key, SignatureAlgorithmKind.RsaPssSha512, data, signature),
            null when IsEd25519(key) => SignatureCrypto.Verify(key, SignatureAlgorithmKind.Ed25519, data, signature),
            _ => false,
        };
    }

    private async Task<SignatureVerification> ResolveAndVerifyAsync(
        string keyId,
        string scheme,
        Func<PublicKeyMaterial, bool> verify,
        CancellationToken cancellationToken)
    {
        var key = await keys.ResolveAsync(keyId, refresh: false, cancellationToken);
        if (key is null)
        {
            return Reject($"{UnknownKeyPrefix} {SignatureHeaders.Printable(keyId, 200)}");
        }

        if (verify(key))
        {
            return new SignatureVerification.Verified(key, scheme);
        }

        // The key may have been rotated since it was cached: fetch it once more and retry once. A key this lookup has just
        // fetched is already current (fetching it again would let any unsigned request cost two fetches: GAP-2).
        if (key.Fetched)
        {
            return Reject("signature does not verify");
        }

        var refreshed = await keys.ResolveAsync(keyId, refresh: true, cancellationToken);
        if (refreshed is null)
        {
            return Reject("signature does not verify and the key could not be fetched again");
        }

        return verify(refreshed)
            ? new SignatureVerification.Verified(refreshed, scheme)
            : Reject("signature does not verify");
    }

    private static string? CheckHost(SignatureRequest request)
    {
        var host = SignatureHeaders.Get(request.Headers, "host");
        return host is null || string.Equals(host.Trim(), request.Authority, StringComparison.OrdinalIgnoreCase)
            ? null
            : "signed host is not this server";
    }

    private static bool HasBody(SignatureRequest request) => request.Body is { Length: > 0 } || !IsSafeMethod(request.Method);

    private static bool IsSafeMethod(string method) =>
        string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase) || string.Equals(method, "HEAD", StringComparison.OrdinalIgnoreCase);

    private static bool IsRsa(PublicKeyMaterial key) => !string.IsNullOrEmpty(key.RsaPublicKeyPem);

    private static bool IsEd25519(PublicKeyMaterial key) => key.Ed25519PublicKey is { Length: 32 };

    private static DateTimeOffset? ParseHttpDate(string? value)
    {
        // RFC 9110 §5.6.7: IMF-fixdate, with the obsolete RFC 850 and asctime forms still accepted.
        return value is not null
            && DateTimeOffset.TryParseExact(
                value.Trim(),
                HttpDateFormats,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AllowInnerWhite | DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var parsed)
            ? parsed
            : null;
    }

    private static DateTimeOffset? FromUnixSeconds(long seconds) =>
        seconds is >= 0 and <= 253402300799 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    private static SignatureVerification.Rejected Reject(string reason) => new(reason);
}
