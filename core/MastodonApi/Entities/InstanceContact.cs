namespace ServerlessFedi.MastodonApi.Entities;

/// <summary><c>contact</c> of the Instance: the operator's address and account (null when none is configured).</summary>
public sealed record InstanceContact(string Email, Account? Account);
