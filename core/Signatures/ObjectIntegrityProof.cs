using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using NSec.Cryptography;
using SimpleBase;

namespace ServerlessFedi.Signatures;

/// <summary>
/// FEP-8b32 object integrity proofs with the <c>eddsa-jcs-2022</c> cryptosuite (W3C Data Integrity EdDSA Cryptosuites
/// v1.0 §3.3): hashData = SHA-256(JCS(proof configuration)) ‖ SHA-256(JCS(document without <c>proof</c>)), signed with
/// Ed25519, <c>proofValue</c> = multibase base58btc of the 64-byte signature. Pure: keys come in, no I/O, time passed in.
/// </summary>
public static class ObjectIntegrityProof
{
    public const string ProofType = "DataIntegrityProof";
    public const string Cryptosuite = "eddsa-jcs-2022";
    public const string AssertionMethod = "assertionMethod";

    /// <summary>The rejection reason when everything but the signature is well-formed (a rotated key may explain it).</summary>
    public const string SignatureMismatch = "the proof's signature does not match the document";

    /// <summary>The JSON-LD context that defines <c>proof</c> and <c>DataIntegrityProof</c>'s terms (FEP-8b32 names it; Fedify preloads it).</summary>
    public const string DataIntegrityContext = "https://w3id.org/security/data-integrity/v1";

    /// <summary>
    /// The proof for <paramref name="unsecuredDocument"/> (vc-di-eddsa §3.3.1 "Create Proof (eddsa-jcs-2022)"): when the
    /// document has an <c>@context</c>, the proof carries the same one. <c>created</c> is whole seconds in UTC.
    /// </summary>
    public static JsonObject CreateProof(JsonObject unsecuredDocument, string verificationMethod, ReadOnlySpan<byte> ed25519PrivateKey, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(unsecuredDocument);
        ArgumentException.ThrowIfNullOrEmpty(verificationMethod);
        var document = (JsonObject)unsecuredDocument.DeepClone();
        document.Remove("proof");
        var proof = new JsonObject
        {
            ["type"] = ProofType,
            ["cryptosuite"] = Cryptosuite,
            ["verificationMethod"] = verificationMethod,
            ["proofPurpose"] = AssertionMethod,
            ["created"] = FormatCreated(created),
        };
        if (document["@context"] is { } context)
        {
            proof["@context"] = context.DeepClone();
        }

        var hashData = HashData(proof, document);
        var ed25519 = SignatureAlgorithm.Ed25519;
        using var key = Key.Import(ed25519, ed25519PrivateKey, KeyBlobFormat.RawPrivateKey);
        proof["proofValue"] = "z" + Base58.Bitcoin.Encode(ed25519.Sign(key, hashData));
        return proof;
    }

    /// <summary>Adds the proof to <paramref name="document"/> (replacing any) and returns it.</summary>
    public static JsonObject Sign(JsonObject document, string verificationMethod, ReadOnlySpan<byte> ed25519PrivateKey, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(document);
        var proof = CreateProof(document, verificationMethod, ed25519PrivateKey, created);
        document["proof"] = proof;
        return document;
    }

    /// <summary>True when <paramref name="proof"/> claims to be a <c>DataIntegrityProof</c> of this cryptosuite (other suites are not ours to judge).</summary>
    public static bool IsEddsaJcs2022(JsonElement proof) =>
        proof.ValueKind == JsonValueKind.Object
        && proof.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals(ProofType)
        && proof.TryGetProperty("cryptosuite", out var suite) && suite.ValueKind == JsonValueKind.String && suite.ValueEquals(Cryptosuite);

    /// <summary>The proof's <c>verificationMethod</c> when it is an absolute http(s) URL, else null.</summary>
    public static string? VerificationMethodOf(JsonElement proof) =>
        proof.ValueKind == JsonValueKind.Object && proof.TryGetProperty("verificationMethod", out var vm) && vm.ValueKind == JsonValueKind.String
        && Uri.TryCreate(vm.GetString(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? vm.GetString()
            : null;

    /// <summary>
    /// Checks <paramref name="proof"/> (one entry of <paramref name="securedDocument"/>'s <c>proof</c>) with <paramref name="key"/>
    /// (vc-di-eddsa §3.3.2 "Verify Proof (eddsa-jcs-2022)"). A proof without its own <c>@context</c> is checked with the
    /// document's, as FEP-8b32 and Fedify do; one with an <c>@context</c> needs the document's to start with it.
    /// A Linked Data Signature (<c>signature</c> with a <c>signatureValue</c>) is set aside first: it is made after the proof.
    /// </summary>
    public static ProofVerification Verify(JsonElement securedDocument, JsonElement proof, PublicKeyMaterial key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (securedDocument.ValueKind != JsonValueKind.Object || !IsEddsaJcs2022(proof))
        {
            return new ProofVerification.Rejected("not a DataIntegrityProof with cryptosuite eddsa-jcs-2022");
        }

        if (!IsString(proof, "proofPurpose", AssertionMethod))
        {
            return new ProofVerification.Rejected("proofPurpose must be assertionMethod");
        }

        if (VerificationMethodOf(proof) is not { } verificationMethod)
        {
            return new ProofVerification.Rejected("verificationMethod must be an absolute URL");
        }

        if (!string.Equals(verificationMethod, key.KeyId, StringComparison.Ordinal))
        {
            return new ProofVerification.Rejected("the key is not the proof's verificationMethod");
        }

        if (proof.TryGetProperty("created", out var created) && !IsDateTime(created, out _))
        {
            return new ProofVerification.Rejected("created is not a date-time");
        }

        if (proof.TryGetProperty("expires", out var expires))
        {
            if (!IsDateTime(expires, out var expiresAt))
            {
                return new ProofVerification.Rejected("expires is not a date-time");
            }

            if (expiresAt <= now)
            {
                return new ProofVerification.Rejected("the proof has expired");
            }
        }

        if (!proof.TryGetProperty("proofValue", out var value) || value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 1 } multibase || multibase[0] != 'z')
        {
            return new ProofVerification.Rejected("proofValue must be a base58btc multibase string");
        }

        byte[] signature;
        try
        {
            signature = Base58.Bitcoin.Decode(multibase.AsSpan(1));
        }
        catch (ArgumentException)
        {
            return new ProofVerification.Rejected("proofValue is not base58btc");
        }

        var ed25519 = SignatureAlgorithm.Ed25519;
        if (signature.Length != ed25519.SignatureSize)
        {
            return new ProofVerification.Rejected("proofValue is not a 64-byte Ed25519 signature");
        }

        if (key.Ed25519PublicKey is not { Length: 32 } raw || !PublicKey.TryImport(ed25519, raw, KeyBlobFormat.RawPublicKey, out var publicKey) || publicKey is null)
        {
            return new ProofVerification.Rejected("the verificationMethod is not an Ed25519 key");
        }

        byte[] hashData;
        try
        {
            var document = JsonObject.Create(securedDocument)!.DeepClone().AsObject();
            document.Remove("proof");

            // A Linked Data Signature (Mastodon's RsaSignature2017) is added after the proof and covers it; Fedify signs
            // both ways and detaches it before checking the proof, so it is not part of what the proof signed.
            if (document["signature"] is JsonObject ldSignature && ldSignature.ContainsKey("signatureValue"))
            {
                document.Remove("signature");
            }

            var options = JsonObject.Create(proof)!.DeepClone().AsObject();
            options.Remove("proofValue");
            if (options["@context"] is { } proofContext)
            {
                if (!StartsWith(document["@context"], proofContext))
                {
                    return new ProofVerification.Rejected("the document's @context does not start with the proof's @context");
                }

                document["@context"] = proofContext.DeepClone();
            }
            else if (document["@context"] is { } documentContext)
            {
                options["@context"] = documentContext.DeepClone();
            }

            hashData = HashData(options, document);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or JsonException)
        {
            return new ProofVerification.Rejected("the document cannot be canonicalized (RFC 8785 needs I-JSON)");
        }

        return ed25519.Verify(publicKey, hashData, signature)
            ? new ProofVerification.Verified(verificationMethod, key.OwnerId)
            : new ProofVerification.Rejected(SignatureMismatch);
    }

    /// <summary>
    /// The latest <c>created</c> of the <c>eddsa-jcs-2022</c> proofs of <paramref name="securedDocument"/> made with
    /// <paramref name="verificationMethod"/>; null when none has one.
    /// </summary>
    public static DateTimeOffset? CreatedOf(JsonElement securedDocument, string verificationMethod)
    {
        if (securedDocument.ValueKind != JsonValueKind.Object || !securedDocument.TryGetProperty("proof", out var proofs))
        {
            return null;
        }

        DateTimeOffset? latest = null;
        foreach (var proof in proofs.ValueKind == JsonValueKind.Array ? proofs.EnumerateArray().ToList() : [proofs])
        {
            if (IsEddsaJcs2022(proof) && VerificationMethodOf(proof) == verificationMethod
                && proof.TryGetProperty("created", out var created) && IsDateTime(created, out var at) && (latest is null || at > latest))
            {
                latest = at;
            }
        }

        return latest;
    }

    /// <summary>XML Schema dateTime in UTC to the second, the form Fedify's Temporal.Instant writes back unchanged.</summary>
    public static string FormatCreated(DateTimeOffset created) =>
        created.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static byte[] HashData(JsonObject proofConfig, JsonObject document)
    {
        var hash = new byte[64];
        SHA256.HashData(Jcs(proofConfig), hash.AsSpan(0, 32));
        SHA256.HashData(Jcs(document), hash.AsSpan(32, 32));
        return hash;
    }

    private static byte[] Jcs(JsonNode node)
    {
        using var parsed = JsonDocument.Parse(node.ToJsonString(), new JsonDocumentOptions { MaxDepth = 128 });
        return JsonCanonicalizer.Canonicalize(parsed.RootElement);
    }

    private static bool StartsWith(JsonNode? documentContext, JsonNode proofContext)
    {
        if (documentContext is null)
        {
            return false;
        }

        JsonNode?[] whole = documentContext is JsonArray a ? [.. a] : [documentContext];
        JsonNode?[] prefix = proofContext is JsonArray p ? [.. p] : [proofContext];
        return prefix.Length <= whole.Length && prefix.Select((item, i) => JsonNode.DeepEquals(item, whole[i])).All(x => x);
    }

    private static bool IsString(JsonElement element, string name, string expected) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.ValueEquals(expected);

    private static bool IsDateTime(JsonElement value, out DateTimeOffset time)
    {
        time = default;
        return value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
    }
}
