using System.Globalization;
using System.Text.Json;
using ServerlessFedi.Polls;

namespace ServerlessFedi.Federation;

/// <summary>
/// The poll of a remote Question (Mastodon's and GoToSocial's shape): options from <c>oneOf</c> (single choice) or
/// <c>anyOf</c> (multiple), each a named object whose <c>replies.totalItems</c> is its count, the end from
/// <c>endTime</c> (or <c>closed</c>), <c>votersCount</c>. Bounded: at most <see cref="PollLimits.MaxRemoteOptions"/>
/// options, names cut to <see cref="PollLimits.MaxRemoteOptionCharacters"/> characters as plain text, counts not negative.
/// </summary>
public static class RemotePollParser
{
    /// <summary>The poll and its counts, or null when the object is not a Question with options.</summary>
    public static (Poll Poll, PollTally Tally)? Parse(JsonElement question)
    {
        if (question.ValueKind != JsonValueKind.Object || ActorDocumentParser.TypeOf(question) != "Question")
        {
            return null;
        }

        var multiple = question.TryGetProperty("anyOf", out var any) && any.ValueKind == JsonValueKind.Array;
        if (!multiple && !(question.TryGetProperty("oneOf", out any) && any.ValueKind == JsonValueKind.Array))
        {
            return null;
        }

        var options = new List<string>();
        var votes = new List<long>();
        foreach (var option in any.EnumerateArray().Take(PollLimits.MaxRemoteOptions))
        {
            var name = (ActorDocumentParser.String(option, "name") ?? "").Trim();
            options.Add(name.Length > PollLimits.MaxRemoteOptionCharacters ? name[..PollLimits.MaxRemoteOptionCharacters] : name);
            votes.Add(option.TryGetProperty("replies", out var replies) && replies.ValueKind == JsonValueKind.Object
                && replies.TryGetProperty("totalItems", out var total) && total.ValueKind == JsonValueKind.Number && total.TryGetInt64(out var n) && n > 0 ? n : 0);
        }

        if (options.Count == 0)
        {
            return null;
        }

        var end = Time(ActorDocumentParser.String(question, "endTime")) ?? Time(ActorDocumentParser.String(question, "closed"));
        var voters = question.TryGetProperty("votersCount", out var vc) && vc.ValueKind == JsonValueKind.Number && vc.TryGetInt64(out var v) && v > 0 ? v : (multiple ? 0 : votes.Sum());
        return (new Poll { Options = options, ExpiresAt = end, Multiple = multiple }, new PollTally { Votes = votes, VotersCount = voters });
    }

    private static DateTimeOffset? Time(string? value) =>
        value is not null && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
