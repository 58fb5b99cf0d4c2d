namespace ServerlessFedi.Migration;

/// <summary>A CSV line that was not imported: its 1-based number, its first field and why.</summary>
public sealed record ImportFailure(int Line, string Value, string Reason);
