namespace ServerlessFedi.Benchmarks;

/// <summary>Microseconds per signature: the product signer on a delivery-shaped POST, and the bare RSA-2048 operation inside it.</summary>
public sealed record SignatureTimings(int Count, double SignerMicroseconds, double RsaMicroseconds);
