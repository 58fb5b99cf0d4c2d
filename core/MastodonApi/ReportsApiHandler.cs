using Microsoft.AspNetCore.Http;
using ServerlessFedi.Federation;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Moderation;
using static ServerlessFedi.MastodonApi.ApiResults;
using static ServerlessFedi.MastodonApi.Entities.MastodonJsonContext;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// <c>POST /api/v1/reports</c> (docs: methods/reports): <c>account_id</c>, <c>status_ids[]</c>, <c>comment</c>,
/// <c>forward</c>, <c>category</c>, <c>rule_ids[]</c>; answers the Report. 404 for an unknown account or a status that is
/// not the account's, 422 for a too long comment, an unknown category or rule, or reporting oneself.
/// <c>forward_to_domains[]</c> is accepted and not used: the report goes to the reported account's server only.
/// </summary>
public sealed class ReportsApiHandler(ApiEndpoint api, AccountDirectory directory, ReportFiling filing, ReportMapper mapper)
{
    public Task<WireResult> CreateAsync(HttpRequest request, CancellationToken cancellationToken) =>
        api.RunAsync(request, ApiAccess.Token("write:reports").WithParameters(), async r =>
        {
            if (r.Parameters.Get("account_id") is not { Length: > 0 } accountId)
            {
                return Invalid("Target account can't be blank");
            }

            var result = await filing.FileAsync(
                r.Account,
                await directory.GetByApiIdAsync(accountId, cancellationToken),
                r.Parameters.GetAll("status_ids"),
                r.Parameters.Get("comment") ?? "",
                r.Parameters.Get("category"),
                r.Parameters.GetAll("rule_ids"),
                r.Parameters.GetBool("forward") ?? false,
                cancellationToken);
            return result switch
            {
                ReportFilingResult.Filed filed => Ok(mapper.ToReport(filed.Report, filed.Target), Wire.Report),
                ReportFilingResult.Refused refused => Invalid(refused.Error),
                _ => NotFound(),
            };
        }, cancellationToken);
}
