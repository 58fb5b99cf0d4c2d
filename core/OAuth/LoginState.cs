namespace ServerlessFedi.OAuth;

/// <summary>The throttle's view of an account: locked now, and whether any failure is on record.</summary>
public sealed record LoginState(bool Locked, bool HasFailures);
