using System.Globalization;

namespace ServerlessFedi.Polls;

/// <summary>
/// The limits of a local poll, advertised in <c>configuration.polls</c> of the instance documents (Mastodon's defaults:
/// docs: entities/Instance#polls) and checked with Mastodon's PollValidator wording. A remote Question keeps at most
/// <see cref="MaxRemoteOptions"/> options of at most <see cref="MaxRemoteOptionCharacters"/> characters.
/// </summary>
public static class PollLimits
{
    public const int MaxOptions = 4;

    public const int MaxCharactersPerOption = 50;

    /// <summary>Seconds: five minutes.</summary>
    public const int MinExpiration = 300;

    /// <summary>Seconds: a month (Mastodon's 1.month, 30.44 days).</summary>
    public const int MaxExpiration = 2_629_746;

    public const int MaxRemoteOptions = 20;

    public const int MaxRemoteOptionCharacters = 500;

    /// <summary>
    /// Reads the <c>poll[...]</c> parameters (form <c>poll[options][]</c> or JSON <c>poll: {options: [...]}</c>, which
    /// read the same): the request, or the error to answer with 422. Null request and null error: no poll asked for.
    /// </summary>
    public static (PollRequest? Poll, string? Error) Read(IReadOnlyList<string> options, string? expiresIn, bool? multiple, bool? hideTotals)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Count == 0 && expiresIn is null)
        {
            return (null, null);
        }

        if (!long.TryParse(expiresIn, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            return (null, "Validation failed: Poll expires at can't be blank");
        }

        var request = new PollRequest([.. options.Select(o => o.Trim())], seconds, multiple ?? false, hideTotals ?? false);
        return Validate(request) is { } error ? (null, error) : (request, null);
    }

    /// <summary>Mastodon's checks of a new poll (PollValidator); null when valid.</summary>
    public static string? Validate(PollRequest poll)
    {
        ArgumentNullException.ThrowIfNull(poll);
        if (poll.Options.Count < 2)
        {
            return "Validation failed: Poll options must have more than one item";
        }

        if (poll.Options.Count > MaxOptions)
        {
            return $"Validation failed: Poll options can't contain more than {MaxOptions} items";
        }

        if (poll.Options.Any(o => o.Length == 0))
        {
            return "Validation failed: Poll options can't be blank";
        }

        if (poll.Options.Any(o => Content.StatusFormatter.CountCharacters(o) > MaxCharactersPerOption))
        {
            return $"Validation failed: Poll options cannot be longer than {MaxCharactersPerOption} characters each";
        }

        if (poll.Options.Distinct(StringComparer.Ordinal).Count() != poll.Options.Count)
        {
            return "Validation failed: Poll options contain duplicate items";
        }

        if (poll.ExpiresIn < MinExpiration)
        {
            return "Validation failed: Poll expires at is too soon";
        }

        return poll.ExpiresIn > MaxExpiration ? "Validation failed: Poll expires at is too far into the future" : null;
    }
}
