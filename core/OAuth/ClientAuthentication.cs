using System.Text;
using Microsoft.AspNetCore.Http;
using ServerlessFedi.Http;
using ServerlessFedi.MastodonApi;

namespace ServerlessFedi.OAuth;

/// <summary>Who is calling the token and revocation endpoints: the registered client, proven by its secret (RFC 6749 §2.3).</summary>
public sealed class ClientAuthentication(OAuthApplicationStore applications)
{
    /// <summary>client_secret_basic (RFC 6749 §2.3.1, form-encoded id and secret) or client_secret_post; 401 invalid_client otherwise.</summary>
    public async Task<(OAuthApplication? Application, WireResult? Failure)> AuthenticateAsync(HttpRequest request, ApiParameters p, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(p);
        string? clientId = p.Get("client_id"), clientSecret = p.Get("client_secret");
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            }
            catch (FormatException)
            {
                return (null, TokenResponses.InvalidClient());
            }

            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || clientSecret is not null)
            {
                // RFC 6749 §2.3: a client uses one authentication method per request.
                return (null, colon < 0 ? TokenResponses.InvalidClient() : TokenResponses.Error(StatusCodes.Status400BadRequest, "invalid_request", "Use one client authentication method"));
            }

            var basicId = Uri.UnescapeDataString(decoded[..colon].Replace('+', ' '));
            if (clientId is not null && clientId != basicId)
            {
                return (null, TokenResponses.Error(StatusCodes.Status400BadRequest, "invalid_request", "client_id does not match the Authorization header"));
            }

            clientId = basicId;
            clientSecret = Uri.UnescapeDataString(decoded[(colon + 1)..].Replace('+', ' '));
        }

        var application = await applications.AuthenticateAsync(clientId, clientSecret, cancellationToken);
        return application is null ? (null, TokenResponses.InvalidClient()) : (application, null);
    }

    /// <summary>
    /// The request's parameters, or the error to answer: unreadable, or a secret in the query string (RFC 6749 §2.3.1 and
    /// §3.2: client secrets, codes and tokens travel in the body, where logs and proxies do not keep them).
    /// </summary>
    public static async Task<(ApiParameters? Parameters, WireResult? Failure)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (p, error) = await ApiParameters.ReadAsync(request, cancellationToken);
        if (p is null)
        {
            return (null, TokenResponses.Error(StatusCodes.Status400BadRequest, "invalid_request", error!));
        }

        if (request.Query.ContainsKey("client_secret") || request.Query.ContainsKey("code") || request.Query.ContainsKey("code_verifier") || request.Query.ContainsKey("token"))
        {
            return (null, TokenResponses.Error(StatusCodes.Status400BadRequest, "invalid_request", "Credentials must be sent in the request body, never in the URL"));
        }

        return (p, null);
    }
}
