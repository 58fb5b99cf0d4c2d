namespace ServerlessFedi.Team;

/// <summary>The staff member added, or why not (a rule broken, the name or e-mail taken).</summary>
public sealed record StaffAddResult(StaffMember? Member, IReadOnlyList<string> Errors)
{
    public static StaffAddResult Refused(params string[] errors) => new(null, errors);
}
