namespace ServerlessFedi.OAuth;

/// <summary>The throttle's answer before a password check: run it, or refuse and say when to try again.</summary>
public sealed record LoginClaim(bool IsAdmitted, TimeSpan RetryAfter)
{
    public static LoginClaim Admitted { get; } = new(true, TimeSpan.Zero);

    public static LoginClaim Refused(TimeSpan retryAfter) => new(false, retryAfter < TimeSpan.Zero ? TimeSpan.Zero : retryAfter);
}
