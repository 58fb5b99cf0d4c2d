using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using ServerlessFedi.Export;

namespace ServerlessFedi.Team;

/// <summary>
/// The agency's audit trail as <c>audit.csv</c> in its account archive, only when the agency asks for it (the archive is
/// its data; the trail names its staff). Columns: time (UTC, ISO 8601), staff (empty for the agency's own login),
/// application, action, object id. Storage: as <see cref="AuditStore.ListAsync"/>.
/// </summary>
public sealed class AuditExport(AuditStore audit)
{
    public const string FileName = "audit.csv";

    /// <summary>Adds <see cref="FileName"/> to a written archive (<paramref name="archive"/> must be seekable, read and write).</summary>
    public async Task AddToArchiveAsync(Stream archive, string agencyId, CancellationToken cancellationToken = default)
    {
        using var zip = new ZipArchive(archive, ZipArchiveMode.Update, leaveOpen: true);
        await AccountArchive.WriteCsvAsync(zip, FileName, "time,staff,application,action,object_id", RowsAsync(agencyId, cancellationToken), cancellationToken);
    }

    private async IAsyncEnumerable<string[]> RowsAsync(string agencyId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in audit.ListAsync(agencyId, cancellationToken: cancellationToken))
        {
            yield return [e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), e.Staff ?? "", e.Application ?? "", e.Action, e.ObjectId ?? ""];
        }
    }
}
