namespace ServerlessFedi.Accounts;

/// <summary>Usage figures for NodeInfo. "Active" means posted within the window (no logins or IPs are tracked).</summary>
public sealed record AccountTotals(long Users, long ActiveMonth, long ActiveHalfYear, long LocalPosts);
