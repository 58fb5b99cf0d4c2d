using ServerlessFedi.Accounts;
using ServerlessFedi.MastodonApi.Entities;

namespace ServerlessFedi.MastodonApi.Mapping;

/// <summary>
/// Preferences (docs: entities/Preferences) from the account's stored posting defaults; the reading preferences are
/// Mastodon's defaults, as this server keeps no web-interface settings.
/// </summary>
public static class PreferencesMapper
{
    public static Preferences ToPreferences(LocalAccount a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new(a.DefaultPrivacy, a.DefaultSensitive, a.DefaultLanguage, "default", false);
    }
}
