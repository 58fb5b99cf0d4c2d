namespace ServerlessFedi.Accounts;

/// <summary>Outcome of <see cref="AccountStore.CreateAsync"/>: the account, or every reason it was refused.</summary>
public sealed record CreateAccountResult(LocalAccount? Account, IReadOnlyList<string> Errors)
{
    public bool Succeeded => Account is not null;

    public static CreateAccountResult Refused(params string[] errors) => new(null, errors);
}
