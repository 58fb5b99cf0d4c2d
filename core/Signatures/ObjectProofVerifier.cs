using System.Text.Json;

namespace ServerlessFedi.Signatures;

/// <summary>
/// Checks the FEP-8b32 <c>eddsa-jcs-2022</c> proofs of a received document, resolving each <c>verificationMethod</c>
/// through the key cache (refetched once on failure, for key rotation). Proofs of other types or cryptosuites are not
/// judged, nor are proofs by a <c>did:</c> key. Every other eddsa-jcs-2022 proof present must hold; the result names
/// the proof by the <c>preferredController</c> when there is one. Exceptions from the <see cref="IPublicKeyResolver"/> propagate: a failed fetch is not a verdict.
/// </summary>
public sealed class ObjectProofVerifier(IPublicKeyResolver keys, TimeProvider time)
{
    /// <summary>More proofs than this on one activity is refused rather than costing a key fetch each.</summary>
    public const int MaxProofs = 4;

    public async Task<ProofVerification> VerifyAsync(JsonElement document, string? preferredController, CancellationToken cancellationToken)
    {
        if (document.ValueKind != JsonValueKind.Object || !document.TryGetProperty("proof", out var proofs))
        {
            return new ProofVerification.Absent();
        }

        var candidates = (proofs.ValueKind == JsonValueKind.Array ? proofs.EnumerateArray().ToList() : [proofs])
            .Where(p => ObjectIntegrityProof.IsEddsaJcs2022(p) && !NamesDid(p)).ToList();
        if (candidates.Count == 0)
        {
            return new ProofVerification.Absent();
        }

        if (candidates.Count > MaxProofs)
        {
            return new ProofVerification.Rejected($"more than {MaxProofs} proofs");
        }

        ProofVerification.Verified? chosen = null;
        foreach (var proof in candidates)
        {
            var result = await VerifyOneAsync(document, proof, cancellationToken);
            if (result is not ProofVerification.Verified verified)
            {
                return result;
            }

            if (chosen is null || (verified.Controller == preferredController && chosen.Controller != preferredController))
            {
                chosen = verified;
            }
        }

        return chosen!;
    }

    /// <summary>A <c>did:</c> verificationMethod (FEP-ef61 portable objects) cannot be resolved here: such a proof is not judged, like another cryptosuite.</summary>
    private static bool NamesDid(JsonElement proof) =>
        proof.TryGetProperty("verificationMethod", out var vm) && vm.ValueKind == JsonValueKind.String
        && vm.GetString()!.StartsWith("did:", StringComparison.Ordinal);

    private async Task<ProofVerification> VerifyOneAsync(JsonElement document, JsonElement proof, CancellationToken cancellationToken)
    {
        if (ObjectIntegrityProof.VerificationMethodOf(proof) is not { } keyId)
        {
            return new ProofVerification.Rejected("verificationMethod must be an absolute URL");
        }

        var key = await keys.ResolveAsync(keyId, refresh: false, cancellationToken);
        var refreshed = false;
        if (key is null || key is { Ed25519PublicKey: null, Fetched: false })
        {
            key = await keys.ResolveAsync(keyId, refresh: true, cancellationToken);
            refreshed = true;
        }

        if (key?.Ed25519PublicKey is null)
        {
            return new ProofVerification.Rejected("the proof's verificationMethod is not a known Ed25519 key");
        }

        var result = ObjectIntegrityProof.Verify(document, proof, key, time.GetUtcNow());
        if (result is ProofVerification.Rejected { Reason: ObjectIntegrityProof.SignatureMismatch } && !refreshed && !key.Fetched
            && await keys.ResolveAsync(keyId, refresh: true, cancellationToken) is { Ed25519PublicKey: not null } fresh)
        {
            result = ObjectIntegrityProof.Verify(document, proof, fresh, time.GetUtcNow());
        }

        return result;
    }
}
