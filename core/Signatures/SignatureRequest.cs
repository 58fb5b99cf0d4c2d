namespace ServerlessFedi.Signatures;

/// <summary>
/// What a signature is verified against: the request as received. <see cref="Headers"/> has lower-case names and
/// each value as received (several values of one header joined with <c>", "</c>). <see cref="Authority"/> is our
/// configured host (<c>InstanceUrls.WebDomain</c>), never the request's Host header.
/// </summary>
public sealed record SignatureRequest(
    string Method,
    string PathAndQuery,
    IReadOnlyDictionary<string, string> Headers,
    byte[]? Body,
    string Authority,
    string Scheme = "https");
