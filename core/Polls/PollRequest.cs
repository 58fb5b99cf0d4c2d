namespace ServerlessFedi.Polls;

/// <summary>
/// The <c>poll</c> parameters of <c>POST /api/v1/statuses</c> (docs: methods/statuses#form-data-parameters):
/// options, duration in seconds from posting, multiple choice, hidden totals. A scheduled status keeps the request and
/// the poll's end is counted from its publication, as Mastodon does.
/// </summary>
public sealed record PollRequest(IReadOnlyList<string> Options, long ExpiresIn, bool Multiple = false, bool HideTotals = false)
{
    /// <summary>The poll this request makes when posted at <paramref name="postedAt"/>.</summary>
    public Poll ToPoll(DateTimeOffset postedAt) => new()
    {
        Options = Options,
        ExpiresAt = postedAt.AddSeconds(ExpiresIn),
        Multiple = Multiple,
        HideTotals = HideTotals,
    };
}
