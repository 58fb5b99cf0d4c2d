namespace ServerlessFedi.Statuses;

/// <summary>What <see cref="RemoteStatusIngest.CreateAsync"/> did with a created remote note.</summary>
public enum RemoteIngestResult
{
    /// <summary>Stored and placed.</summary>
    Stored,

    /// <summary>Its URI is stored already (a repeated Create): nothing changed.</summary>
    AlreadyStored,

    /// <summary>It concerns no local account: nothing stored.</summary>
    Unrelated,
}
