namespace ServerlessFedi.Signatures;

/// <summary>Outcome of checking a FEP-8b32 object integrity proof: the verified key and its controller, or the reason it failed. Never a bare bool.</summary>
public abstract record ProofVerification
{
    private ProofVerification()
    {
    }

    /// <summary>The document carries no <c>DataIntegrityProof</c> with the <c>eddsa-jcs-2022</c> cryptosuite.</summary>
    public sealed record Absent : ProofVerification;

    /// <summary>The proof is valid for <paramref name="VerificationMethod"/>, a key of <paramref name="Controller"/>.</summary>
    public sealed record Verified(string VerificationMethod, string Controller) : ProofVerification;

    /// <summary>A proof is there but does not hold; <paramref name="Reason"/> is safe to log and to return to the sender.</summary>
    public sealed record Rejected(string Reason) : ProofVerification;
}
