using Microsoft.AspNetCore.Http;
using ServerlessFedi.Export;
using ServerlessFedi.Http;
using static ServerlessFedi.MastodonApi.ApiResults;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>GET /api/v1/accounts/export</c>: the token's account downloads its archive (<see cref="AccountArchive"/>), the API
/// counterpart of Mastodon's "Request your archive" and CSV pages under <c>/settings/export</c>. Needs the <c>read</c>
/// scope (all of the account's data). Streamed as it is written; an archive that takes longer than the host's 230 s to
/// download is cut off, and the operator's <c>admin account export</c> has no such limit. Storage: as the archive.
/// </summary>
public sealed class ExportApiHandler(ApiEndpoint api, AccountArchive archive, TimeProvider time)
{
    public Task<WireResult> ArchiveAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(
            request,
            ApiAccess.Token("read"),
            r => Download("application/zip", AccountArchive.FileName(r.Account, time.GetUtcNow()), (stream, ct) => archive.WriteAsync(r.Account, stream, ct))
                .WithHeader("Cache-Control", "no-store"),
            cancellationToken);
}
