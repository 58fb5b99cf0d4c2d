namespace ServerlessFedi.Team;

/// <summary>What a staff member may do beyond acting as the agency through the client API.</summary>
public enum StaffRole
{
    /// <summary>Posts, replies and every other client API call as the agency.</summary>
    Poster,

    /// <summary>A poster who also reads the agency's audit trail and adds and removes its posters.</summary>
    Manager,
}
