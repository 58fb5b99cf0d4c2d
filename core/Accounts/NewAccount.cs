namespace ServerlessFedi.Accounts;

/// <summary>What an operator supplies to create an account.</summary>
public sealed record NewAccount(
    string Username,
    string Password,
    string? DisplayName = null,
    string? Email = null,
    ActorType ActorType = ActorType.Person,
    bool Locked = false);
