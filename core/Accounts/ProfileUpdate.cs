namespace ServerlessFedi.Accounts;

/// <summary>
/// What <c>PATCH /api/v1/accounts/update_credentials</c> asks to change (docs: methods/accounts#update_credentials);
/// null leaves a value as it is. Images are the uploaded bytes, not yet checked.
/// </summary>
public sealed record ProfileUpdate
{
    public string? DisplayName { get; init; }

    /// <summary>Plain text; stored as HTML paragraphs and as typed.</summary>
    public string? Note { get; init; }

    public byte[]? Avatar { get; init; }

    public byte[]? Header { get; init; }

    public bool? Locked { get; init; }

    public bool? Bot { get; init; }

    public bool? Discoverable { get; init; }

    public bool? Indexable { get; init; }

    /// <summary>The complete new list (Mastodon replaces all fields at once); null keeps the current ones.</summary>
    public IReadOnlyList<ProfileField>? Fields { get; init; }

    public string? Privacy { get; init; }

    public bool? Sensitive { get; init; }

    public string? Language { get; init; }
}
