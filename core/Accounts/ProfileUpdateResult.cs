namespace ServerlessFedi.Accounts;

/// <summary>Outcome of <see cref="ProfileService.UpdateAsync"/>: the updated account, or why nothing changed (422).</summary>
public sealed record ProfileUpdateResult(LocalAccount? Account, string? Error)
{
    public static ProfileUpdateResult Ok(LocalAccount account) => new(account, null);

    public static ProfileUpdateResult Invalid(string error) => new(null, error);
}
