using System.Globalization;
using ServerlessFedi.Configuration;
using ServerlessFedi.MastodonApi.Entities;

namespace ServerlessFedi.MastodonApi.Mapping;

/// <summary>Hashtags onto the wire (docs: entities/Tag, entities/FeaturedTag).</summary>
public sealed class TagMapper(InstanceUrls urls)
{
    /// <summary>A hashtag by its lower-cased name; no history is kept and tags cannot be followed yet.</summary>
    public Tag ToTag(string name, bool following = false) => new(name, urls.Tag(name), [], following);

    /// <summary>A hashtag featured on <paramref name="username"/>'s profile, linked to the profile's posts with it.</summary>
    public FeaturedTag ToFeaturedTag(string username, Accounts.FeaturedTag t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new(
            t.Id,
            t.Name,
            $"{urls.Profile(username)}/tagged/{Uri.EscapeDataString(t.Name)}",
            t.StatusesCount.ToString(CultureInfo.InvariantCulture),
            t.LastStatusAt is { } last ? DateOnly.FromDateTime(last.UtcDateTime) : null);
    }
}
