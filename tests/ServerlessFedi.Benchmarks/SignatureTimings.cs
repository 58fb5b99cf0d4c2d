namespace ServerlessFedi.Benchmarks;

/// <summary>
/// Microseconds per signature: the product signer on a delivery-shaped POST, and the bare RSA-2048 operation inside it;
/// and the signer's CPU time (this process's, serially), which on a loaded machine is less than its wall time.
/// </summary>
public sealed record SignatureTimings(int Count, double SignerMicroseconds, double RsaMicroseconds, double SignerCpuMicroseconds);
