using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ServerlessFedi.Http;
using ServerlessFedi.OAuth;

namespace ServerlessFedi.Team;

/// <summary>
/// What <c>ApiEndpoint</c> records after every successful write through the client API made with an account's token:
/// the staff member on the token (or the agency's own login), the token's application, the method with the route
/// template (digits and route values replaced by their names, e.g. <c>POST /api/v1/statuses/:id/favourite</c>) and the
/// <c>id</c> of the answer when it has one. Never the client's address or user agent. Storage: 1 insert per write, made
/// by the write's queue message instead when the handler handed it one (<see cref="Prepare"/>).
/// </summary>
public sealed class AuditTrail(AuditStore store, ILogger<AuditTrail> logger)
{
    /// <summary>Answers larger than this are not searched for an <c>id</c> (a media upload's or a status's is near the start).</summary>
    private const int MaxScannedBytes = 256 * 1024;

    /// <summary>Whether a request with this method and answer is recorded: a write (not GET, HEAD, OPTIONS) that succeeded.</summary>
    public static bool Records(string method, int status) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)) && status is >= 200 and < 300;

    /// <summary>
    /// Records the write. The action already happened, so a failed audit insert does not change the answer: it is logged
    /// as an error (an alert in production) with the agency and action, never swallowed silently. A row the handler
    /// <paramref name="prepared"/> (<see cref="Prepare"/>) and did not hand to a queue message is the one written.
    /// </summary>
    public async Task RecordAsync(HttpRequest request, AccessToken token, WireResult result, CancellationToken cancellationToken, PendingAudit? prepared = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(result);
        var row = prepared ?? Prepare(request, token);
        var action = row.Entry.Action;
        try
        {
            await store.RecordAsync(row with { Entry = row.Entry with { ObjectId = ObjectId(result) } }, cancellationToken);
        }
        catch (Azure.RequestFailedException ex)
        {
            logger.LogError(ex, "Audit row of {AccountId} for {Action} was not written", token.AccountId, action);
        }
    }

    /// <summary>
    /// The row of a write about to be made, for a handler whose service sends a queue message before the write: the
    /// message carries the row (its object id set by the service) and records it, instead of <see cref="RecordAsync"/> after
    /// the answer. No storage.
    /// </summary>
    public PendingAudit Prepare(HttpRequest request, AccessToken token)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(token);
        return store.Prepare(token.AccountId, token.Staff, token.Description, request.Method.ToUpperInvariant() + " " + RouteTemplate(request), null);
    }

    /// <summary>The request path with each route value (and each all-digit segment) replaced by <c>:name</c>.</summary>
    public static string RouteTemplate(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var names = request.RouteValues
            .Where(v => v.Value is string { Length: > 0 })
            .GroupBy(v => (string)v.Value!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Key, StringComparer.Ordinal);
        var segments = (request.Path.Value ?? "/").Split('/');
        var sb = new StringBuilder();
        foreach (var segment in segments.Where(s => s.Length > 0))
        {
            sb.Append('/');
            if (names.TryGetValue(Uri.UnescapeDataString(segment), out var name))
            {
                sb.Append(':').Append(name);
            }
            else if (segment.All(char.IsAsciiDigit))
            {
                sb.Append(":id");
            }
            else
            {
                sb.Append(segment);
            }
        }

        return sb.Length == 0 ? "/" : sb.ToString();
    }

    /// <summary>The top-level <c>id</c> string of a JSON object answer; null for anything else.</summary>
    public static string? ObjectId(WireResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Body.Length is 0 or > MaxScannedBytes || result.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(result.Body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("id"u8);
                reader.Read();
                if (isId)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON after all: no object id.
        }

        return null;
    }
}
