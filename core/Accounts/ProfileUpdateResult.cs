using ServerlessFedi.Errors;

namespace ServerlessFedi.Accounts;

/// <summary>Outcome of <see cref="ProfileService.UpdateAsync"/>: the updated account, or why nothing changed (<see cref="Error"/>) with the message for the client.</summary>
public sealed record ProfileUpdateResult(LocalAccount? Account, ServiceError? Error, string? Message)
{
    public static ProfileUpdateResult Ok(LocalAccount account) => new(account, null, null);

    public static ProfileUpdateResult Invalid(string message) => new(null, ServiceError.Invalid, message);
}
