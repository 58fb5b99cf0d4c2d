using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessFedi.MastodonApi;

namespace ServerlessFedi.Functions.Http;

/// <summary>The owner's profile: <c>update_credentials</c>.</summary>
public sealed class ProfileFunctions(CredentialsApiHandler credentials)
{
    [Function("AccountsUpdateCredentials")]
    public async Task<IActionResult> UpdateCredentials(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "api/v1/accounts/update_credentials")] HttpRequest req,
        CancellationToken cancellationToken) =>
        await credentials.UpdateAsync(req, cancellationToken);
}
