namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>
/// QuoteApproval (docs: entities/QuoteApproval): who may quote the status with automatic approval (<c>public</c>,
/// <c>followers</c>, <c>following</c>, <c>unsupported_policy</c>; empty for nobody), who with manual approval (only
/// remote statuses offer it), and what applies to the viewer (<c>automatic</c>, <c>manual</c>, <c>denied</c>, <c>unknown</c>).
/// </summary>
public sealed record QuoteApproval(IReadOnlyList<string> Automatic, IReadOnlyList<string> Manual, string CurrentUser);
