using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ServerlessFedi.Export;
using ServerlessFedi.Http;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>GET /api/v1/accounts/export</c>: the token's account downloads its archive (<see cref="AccountArchive"/>), the API
/// counterpart of Mastodon's "Request your archive" and CSV pages under <c>/settings/export</c>. Needs the <c>read</c>
/// scope (all of the account's data). Streamed as it is written; an archive that takes longer than the host's 230 s to
/// download is cut off, and the operator's <c>admin account export</c> has no such limit. Storage: as the archive.
/// </summary>
public sealed class ExportApiHandler(ApiAuth auth, AccountArchive archive, TimeProvider time)
{
    public async Task<IActionResult> ArchiveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (account, _, failure) = await auth.AuthenticateAsync(request, "read", cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        var name = AccountArchive.FileName(account!, time.GetUtcNow());
        return new StreamedResult("application/zip", (stream, ct) => archive.WriteAsync(account!, stream, ct))
            .WithHeader("Content-Disposition", $"attachment; filename=\"{name}\"")
            .WithHeader("Cache-Control", "no-store");
    }
}
