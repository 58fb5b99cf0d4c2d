using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.MastodonApi.Entities;

namespace ServerlessFedi.MastodonApi.Mapping;

/// <summary>
/// Accounts onto the wire (docs: entities/Account): local accounts, cached remote actors, the owner's CredentialAccount
/// and the partial accounts of grouped notifications. <c>avatar</c>/<c>header</c> are never null (defaults when unset);
/// <c>created_at</c> is midnight UTC of the creation day, as Mastodon rounds it.
/// </summary>
public sealed class AccountMapper(InstanceUrls urls)
{
    public string DefaultAvatar { get; } = $"{urls.Base}/avatars/original/missing.png";

    public string DefaultHeader { get; } = $"{urls.Base}/headers/original/missing.png";

    /// <summary>The account's avatar (static: avatars are rendered as still images unless a GIF was uploaded), or the default.</summary>
    public string AvatarUrl(LocalAccount a) => a?.AvatarBlob is { } blob ? urls.Media(blob) : DefaultAvatar;

    public string HeaderUrl(LocalAccount a) => a?.HeaderBlob is { } blob ? urls.Media(blob) : DefaultHeader;

    public Account ToAccount(LocalAccount a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new Account
        {
            Id = a.Id,
            Username = a.Username,
            Acct = a.Username,
            DisplayName = a.DisplayName,
            Locked = a.Locked,
            Bot = a.Bot,
            Discoverable = a.Discoverable,
            Indexable = a.Indexable,
            CreatedAt = Day(a.CreatedAt),
            Note = a.Note,
            Url = urls.Profile(a.Username),
            Uri = urls.Actor(a.Username),
            Avatar = AvatarUrl(a),
            AvatarStatic = AvatarUrl(a),
            Header = HeaderUrl(a),
            HeaderStatic = HeaderUrl(a),
            FollowersCount = a.FollowersCount,
            FollowingCount = a.FollowingCount,
            StatusesCount = a.StatusesCount,
            LastStatusAt = a.LastStatusAt is { } last ? DateOnly.FromDateTime(last.UtcDateTime) : null,
            Noindex = !a.Indexable,
            Fields = [.. a.Fields.Select(f => new Field(f.Name, f.ValueHtml(), null))],
        };
    }

    /// <summary>CredentialAccount: the Account plus <c>source</c> and <c>role</c>, for the owner only.</summary>
    public Account ToCredentialAccount(LocalAccount a) => ToAccount(a) with
    {
        Source = new Source
        {
            Privacy = a.DefaultPrivacy,
            Sensitive = a.DefaultSensitive,
            Language = a.DefaultLanguage ?? "",
            Note = a.NoteText ?? a.Note,
            Fields = [.. a.Fields.Select(f => new Field(f.Name, f.Value, null))],
            Discoverable = a.Discoverable,
            Indexable = a.Indexable,
        },
        Role = Role.Everyone,
    };

    /// <summary>A remote account as cached: counts are unknown here and answer 0, as Mastodon answers for accounts it has not crawled.</summary>
    public Account ToAccount(RemoteActor a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var username = a.PreferredUsername ?? new Uri(a.Id).Segments[^1].Trim('/');
        var avatar = urls.RemoteMedia(Media.RemoteMediaOwner.Accounts, a.AccountId, a.IconUrl) ?? DefaultAvatar;
        var header = urls.RemoteMedia(Media.RemoteMediaOwner.Accounts, a.AccountId, a.ImageUrl) ?? DefaultHeader;
        return new Account
        {
            Id = a.AccountId,
            Username = username,
            Acct = $"{username}@{new Uri(a.Id).Authority}",
            DisplayName = a.Name ?? "",
            Locked = a.Locked,
            Bot = a.Type is "Service" or "Application",
            Group = a.Type == "Group",
            CreatedAt = Day(a.Published ?? a.FetchedAt),
            Note = a.Summary,
            Url = a.Url ?? a.Id,
            Uri = a.Id,
            Avatar = avatar,
            AvatarStatic = avatar,
            Header = header,
            HeaderStatic = header,
            Noindex = true,
        };
    }

    public Account ToAccount(AccountRef a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a.Local is { } local ? ToAccount(local) : ToAccount(a.Remote!);
    }

    /// <summary>PartialAccountWithAvatar: what a row of avatars needs.</summary>
    public static PartialAccountWithAvatar ToPartial(Account a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new(a.Id, a.Acct, a.Url, a.Avatar, a.AvatarStatic, a.Locked, a.Bot);
    }

    private static DateTimeOffset Day(DateTimeOffset t) => new(t.UtcDateTime.Date, TimeSpan.Zero);
}
