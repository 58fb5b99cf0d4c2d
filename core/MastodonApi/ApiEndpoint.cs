using Microsoft.AspNetCore.Http;
using ServerlessFedi.Http;
using ServerlessFedi.Team;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// The client API's request pipeline: authenticate as <see cref="ApiAccess"/> says (401/403/429 first, with the
/// rate-limit headers), read the parameters (400 when the body cannot be parsed), run the handler, record a successful
/// write made with a token in the account's audit trail (<see cref="AuditTrail"/>), and add CORS to whatever comes back, once. A handler method reads: bind, call one service, map the outcome.
/// <code>
/// public Task&lt;WireResult&gt; GetAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
///     api.RunAsync(request, ApiAccess.OptionalToken("read:accounts"), async r =>
///         await directory.GetByApiIdAsync(id, cancellationToken) is { } account ? Ok(accounts.ToAccount(account), Wire.Account) : NotFound(),
///         cancellationToken);
/// </code>
/// Storage: as <see cref="ApiAuth"/> (1 point read for the token + 1 for the account when a token is sent); +1 insert
/// (the audit row) per successful write, unless the handler's queue message carries it (<see cref="ApiRequest.AuditQueued"/>).
/// </summary>
public sealed class ApiEndpoint(ApiAuth auth, AuditTrail audit)
{
    public async Task<WireResult> RunAsync(HttpRequest request, ApiAccess access, Func<ApiRequest, Task<WireResult>> handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(handle);
        var (viewer, token, failure) = access.Kind switch
        {
            ApiAccessKind.Token => await auth.AuthenticateAsync(request, access.Scope!, cancellationToken),
            ApiAccessKind.OptionalToken => await OptionalAsync(request, access.Scope!, cancellationToken),
            ApiAccessKind.Anonymous => (null, null, auth.ThrottleAnonymous(request)),
            _ => (null, null, null),
        };
        if (failure is not null)
        {
            return failure.WithCors();
        }

        var parameters = ApiParameters.FromQuery(request.Query);
        if (access.ReadsParameters)
        {
            var (read, error) = await ApiParameters.ReadAsync(request, cancellationToken);
            if (read is null)
            {
                return ApiResults.BadRequest(error!).WithCors();
            }

            parameters = read;
        }

        var api = new ApiRequest(request, viewer, token, parameters, token is not null && AuditTrail.Records(request.Method, 200) ? () => audit.Prepare(request, token) : null);
        var result = await handle(api);
        if (token is not null && AuditTrail.Records(request.Method, result.Status) && !api.AuditQueued)
        {
            await audit.RecordAsync(request, token, result, cancellationToken, api.PreparedAudit);
        }

        return result.WithCors();
    }

    /// <summary>For handlers that need no storage call of their own.</summary>
    public Task<WireResult> RunAsync(HttpRequest request, ApiAccess access, Func<ApiRequest, WireResult> handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return RunAsync(request, access, r => Task.FromResult(handle(r)), cancellationToken);
    }

    /// <summary>
    /// For endpoints that read no token (<see cref="ApiAccess.Anonymous"/>, <see cref="ApiAccess.Open"/>) and answer from
    /// memory: synchronous, since nothing is awaited.
    /// </summary>
    public WireResult Run(HttpRequest request, ApiAccess access, Func<ApiRequest, WireResult> handle)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(handle);
        if (access.Kind is not (ApiAccessKind.Anonymous or ApiAccessKind.Open) || access.ReadsParameters)
        {
            throw new ArgumentException("Only token-less endpoints without body parameters run synchronously", nameof(access));
        }

        var failure = access.Kind == ApiAccessKind.Anonymous ? auth.ThrottleAnonymous(request) : null;
        return (failure ?? handle(new ApiRequest(request, null, null, ApiParameters.FromQuery(request.Query)))).WithCors();
    }

    private async Task<(Accounts.LocalAccount?, OAuth.AccessToken?, WireResult?)> OptionalAsync(HttpRequest request, string scope, CancellationToken cancellationToken)
    {
        var (viewer, failure) = await auth.AuthenticateOptionalAsync(request, scope, cancellationToken);
        return (viewer, null, failure);
    }
}
