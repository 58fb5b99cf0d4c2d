namespace ServerlessFedi.Signatures;

/// <summary>The signature algorithms we verify (RFC 9421 §3.3 names; draft-cavage <c>rsa-sha256</c> is <see cref="RsaPkcs1Sha256"/>).</summary>
internal enum SignatureAlgorithmKind
{
    RsaPkcs1Sha256,
    RsaPssSha512,
    Ed25519,
}
