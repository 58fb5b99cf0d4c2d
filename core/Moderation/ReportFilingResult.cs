using ServerlessFedi.Federation;

namespace ServerlessFedi.Moderation;

/// <summary>What <see cref="ReportFiling.FileAsync"/> did: filed, refused with a reason (422), or the account or a status not found (404).</summary>
public abstract record ReportFilingResult
{
    private ReportFilingResult()
    {
    }

    public sealed record Filed(Report Report, AccountRef Target) : ReportFilingResult;

    public sealed record Refused(string Error) : ReportFilingResult;

    public sealed record NotFound : ReportFilingResult;
}
