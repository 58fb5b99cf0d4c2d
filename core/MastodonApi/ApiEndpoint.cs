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

    /// <summary>
    /// For a handler whose first read needs nothing from storage but, at most, the caller's account id: with a bearer
    /// token the read starts beside the token's own storage read instead of after it, one sequential step less. A token
    /// names its account (<see cref="OAuth.AccessTokenStore.AccountOf"/>): a read <paramref name="byAccount"/> starts with
    /// that id and reaches the handler only when the token authenticates that very account (otherwise it is made again
    /// for the authenticated one, or, for a token that names no account, made only then); a read not by account starts
    /// with any bearer token. Without a token the caller is throttled first and the read made after, so a refused
    /// anonymous request costs no read. Nothing read for a refused token is answered: the refusal is returned and the
    /// read's result (or exception) dropped. Storage: the read's transactions on top of the pipeline's; for a refused
    /// token the read made for nothing (the token's read is made for it anyway, under the per-address limit).
    /// </summary>
    public async Task<WireResult> RunAsync<T>(HttpRequest request, ApiAccess access, Func<string?, Task<T>> read, bool byAccount, Func<ApiRequest, T, Task<WireResult>> handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(handle);
        var bearer = access.Kind is ApiAccessKind.Token or ApiAccessKind.OptionalToken ? ApiAuth.BearerOf(request) : null;
        var claimed = bearer is null ? null : OAuth.AccessTokenStore.AccountOf(bearer);
        var early = bearer is not null && (claimed is not null || !byAccount) ? read(claimed) : null;
        var awaited = false;
        try
        {
            return await RunAsync(request, access, r =>
            {
                if (early is not null && (!byAccount || r.Viewer?.Id == claimed))
                {
                    awaited = true;
                    return Handle(r, early);
                }

                return Handle(r, read(r.Viewer?.Id));
            }, cancellationToken);
        }
        finally
        {
            if (early is not null && !awaited)
            {
                // Refused, or read again for another account: the early read's outcome is nobody's, and its failure no error.
                _ = early.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }

        async Task<WireResult> Handle(ApiRequest r, Task<T> value) => await handle(r, await value);
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
