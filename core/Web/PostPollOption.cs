namespace ServerlessFedi.Web;

/// <summary>One option of a <see cref="PostPoll"/>: its votes and share in percent, null while totals are hidden.</summary>
public sealed record PostPollOption(string Title, long? Votes, int? Percent);
