using ServerlessFedi.Storage;

namespace ServerlessFedi.Team;

/// <summary>
/// A named person who logs in for an agency account with their own password (and second factor): stored in the agency's
/// partition, never shown outside the instance's operator and the agency's managers.
/// </summary>
public sealed record StaffMember(string AgencyId, string Name, string? Email, string PasswordHash, StaffRole Role, DateTimeOffset CreatedAt)
{
    /// <summary>What the login throttle and the second factor of this person are keyed by (<see cref="StorageKeys.StaffSubject"/>).</summary>
    public string Subject => StorageKeys.StaffSubject(AgencyId, Name);
}
