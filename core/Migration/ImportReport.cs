namespace ServerlessFedi.Migration;

/// <summary>
/// What an import did: <see cref="Error"/> when the file was refused as a whole (nothing changed), else the rows read,
/// imported, failed (with the reason of each) and, with overwrite, the existing entries removed for not being listed.
/// </summary>
public sealed record ImportReport(string? Error, int Rows = 0, int Imported = 0, IReadOnlyList<ImportFailure>? Failures = null, int Removed = 0)
{
    public bool Succeeded => Error is null;

    public IReadOnlyList<ImportFailure> FailedRows => Failures ?? [];

    public static ImportReport Refused(string error) => new(error);
}
