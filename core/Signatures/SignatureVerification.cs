namespace ServerlessFedi.Signatures;

/// <summary>Outcome of verifying a request signature: the verified key, or the reason it was rejected. Never a bare bool.</summary>
public abstract record SignatureVerification
{
    private SignatureVerification()
    {
    }

    /// <summary>The signature is valid for <paramref name="Key"/>; <paramref name="Scheme"/> is <c>draft-cavage-12</c> or <c>rfc9421</c>.</summary>
    public sealed record Verified(PublicKeyMaterial Key, string Scheme) : SignatureVerification;

    /// <summary>Rejected; <paramref name="Reason"/> is safe to log and to return to the sender.</summary>
    public sealed record Rejected(string Reason) : SignatureVerification;
}
