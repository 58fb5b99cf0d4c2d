using ServerlessFedi.Signatures;

namespace ServerlessFedi.Tests.Signatures;

/// <summary>Builds the <see cref="SignatureRequest"/> an inbox would see for a request, as the edge does: lower-case names, values joined.</summary>
internal static class SignatureRequests
{
    public const string Authority = "social.example.gov";

    public static SignatureRequest From(HttpRequestMessage request, byte[]? body, string authority = Authority)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in request.Headers.NonValidated)
        {
            headers[name.ToLowerInvariant()] = string.Join(", ", values);
        }

        if (request.Content is not null)
        {
            foreach (var (name, values) in request.Content.Headers.NonValidated)
            {
                headers[name.ToLowerInvariant()] = string.Join(", ", values);
            }
        }

        return new SignatureRequest(request.Method.Method, request.RequestUri!.PathAndQuery, headers, body, authority);
    }

    public static SignatureRequest WithHeader(this SignatureRequest request, string name, string? value)
    {
        var headers = new Dictionary<string, string>(request.Headers, StringComparer.Ordinal);
        if (value is null)
        {
            headers.Remove(name);
        }
        else
        {
            headers[name] = value;
        }

        return request with { Headers = headers };
    }
}
