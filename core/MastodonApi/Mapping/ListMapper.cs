using ServerlessFedi.Lists;

namespace ServerlessFedi.MastodonApi.Mapping;

/// <summary>Lists onto the wire (docs: entities/List).</summary>
public static class ListMapper
{
    public static Entities.List ToList(AccountList l)
    {
        ArgumentNullException.ThrowIfNull(l);
        return new(l.Id, l.Title, l.RepliesPolicy, l.Exclusive);
    }
}
