using System.Globalization;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Notifications;

/// <summary>
/// The <c>group_key</c> of a notification (docs: methods/grouped_notifications). Favourites and boosts of one status,
/// and follows, that fall into the same fixed UTC window share <c>favourite-{statusId}-{hour}</c>,
/// <c>reblog-{statusId}-{hour}</c> or <c>follow-{hour}</c>, where <c>hour</c> is the window's first hour since the Unix
/// epoch (Mastodon's shape); every other notification is <c>ungrouped-{id}</c>. The key is computed from the stored
/// notification (type, status, the time in its id), so nothing extra is written and v1 and v2 always agree. Windows
/// are 12 hours for favourites and boosts (Mastodon's longest group span) and one UTC day for follows. Unlike
/// Mastodon, whose window opens at a group's first notification, ours are aligned to the clock: no state to keep,
/// at the price of splitting a burst that straddles a window boundary into two groups.
/// </summary>
public sealed record NotificationGroupKey(string Key, NotificationType? Type, string? StatusId, DateTimeOffset From, DateTimeOffset To, string? NotificationId)
{
    /// <summary>The types grouped when a client does not narrow them with <c>grouped_types[]</c>.</summary>
    public static readonly IReadOnlySet<NotificationType> Groupable = new HashSet<NotificationType> { NotificationType.Favourite, NotificationType.Reblog, NotificationType.Follow };

    /// <summary>Whether the key names a group of several possible notifications (not <c>ungrouped-{id}</c>).</summary>
    public bool IsGroup => NotificationId is null;

    /// <summary>The key of <paramref name="n"/>; a type outside <paramref name="grouped"/> (default: all groupable) is ungrouped.</summary>
    public static string Of(Notification n, IReadOnlySet<NotificationType>? grouped = null)
    {
        ArgumentNullException.ThrowIfNull(n);
        var types = grouped ?? Groupable;
        if (!types.Contains(n.Type) || !Groupable.Contains(n.Type) || (n.Type != NotificationType.Follow && n.StatusId is null) || !SnowflakeIds.IsValid(n.Id))
        {
            return $"ungrouped-{n.Id}";
        }

        var hour = WindowStartHour(n.Type, SnowflakeIds.TimeOf(n.Id));
        return n.Type == NotificationType.Follow
            ? $"follow-{hour.ToString(CultureInfo.InvariantCulture)}"
            : $"{Name(n.Type)}-{n.StatusId}-{hour.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>Parses a key this server gives out; null for anything else (unknown type, bad id, hour not on a window boundary).</summary>
    public static NotificationGroupKey? Parse(string? key)
    {
        if (key is null || key.Length > 80)
        {
            return null;
        }

        var parts = key.Split('-');
        switch (parts)
        {
            case ["ungrouped", var id] when SnowflakeIds.IsValid(id):
                var at = SnowflakeIds.TimeOf(id);
                return new NotificationGroupKey(key, null, null, at, at, id);
            case ["follow", var hour] when Window(NotificationType.Follow, hour) is { } w:
                return new NotificationGroupKey(key, NotificationType.Follow, null, w.From, w.To, null);
            case ["favourite" or "reblog", var status, var hour] when SnowflakeIds.IsValid(status) && Window(parts[0] == "favourite" ? NotificationType.Favourite : NotificationType.Reblog, hour) is { } w:
                return new NotificationGroupKey(key, parts[0] == "favourite" ? NotificationType.Favourite : NotificationType.Reblog, status, w.From, w.To, null);
            default:
                return null;
        }
    }

    private static int WindowHours(NotificationType type) => type == NotificationType.Follow ? 24 : 12;

    private static long WindowStartHour(NotificationType type, DateTimeOffset at)
    {
        var hours = at.ToUnixTimeSeconds() / 3600;
        return hours - (hours % WindowHours(type));
    }

    private static (DateTimeOffset From, DateTimeOffset To)? Window(NotificationType type, string hourText)
    {
        if (hourText.Length is 0 or > 9 || !hourText.All(char.IsAsciiDigit) || !long.TryParse(hourText, NumberStyles.None, CultureInfo.InvariantCulture, out var hour) || hour % WindowHours(type) != 0)
        {
            return null;
        }

        var from = DateTimeOffset.FromUnixTimeSeconds(hour * 3600);
        return (from, from.AddHours(WindowHours(type)));
    }

    private static string Name(NotificationType type) => type == NotificationType.Favourite ? "favourite" : "reblog";
}
