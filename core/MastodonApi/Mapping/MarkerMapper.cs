namespace ServerlessFedi.MastodonApi.Mapping;

/// <summary>Read markers onto the wire (docs: entities/Marker), keyed by timeline.</summary>
public static class MarkerMapper
{
    public static IReadOnlyDictionary<string, Entities.Marker> ToMarkers(IEnumerable<Marker> markers)
    {
        ArgumentNullException.ThrowIfNull(markers);
        var result = new Dictionary<string, Entities.Marker>(StringComparer.Ordinal);
        foreach (var m in markers)
        {
            result[m.Timeline] = new Entities.Marker(m.LastReadId, m.Version, m.UpdatedAt);
        }

        return result;
    }
}
