using ServerlessFedi.Federation;
using ServerlessFedi.MastodonApi.Entities;
using ServerlessFedi.MastodonApi.Mapping;
using ServerlessFedi.Moderation;

namespace ServerlessFedi.MastodonApi;

/// <summary>
/// One account as <c>GET /api/v1/accounts/:id</c> and lookup show it (Mastodon's REST::AccountSerializer): with
/// <c>moved</c> (the account it moved to, not nested further), and for a remote account the operator suspended
/// <c>suspended: true</c> with the profile blanked (no name, bio, fields, avatar or header), or silenced <c>limited: true</c>.
/// Storage: 1-2 point reads for a moved account; the moderation rules are cached.
/// </summary>
public sealed class AccountPresenter(AccountMapper mapper, AccountDirectory directory, ModerationPolicy moderation)
{
    /// <summary>The account as lists show it (no <c>moved</c>, no moderation marks).</summary>
    public Account ToAccount(AccountRef account) => mapper.ToAccount(account);

    public async Task<Account> RenderAsync(AccountRef account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var shown = mapper.ToAccount(account);
        var severity = account.Remote is null ? DomainSeverity.Noop : (await moderation.CurrentAsync(cancellationToken)).SeverityOf(account.ActorId);
        if (severity == DomainSeverity.Suspend)
        {
            return shown with
            {
                DisplayName = "",
                Note = "",
                Fields = [],
                Emojis = [],
                Avatar = mapper.DefaultAvatar,
                AvatarStatic = mapper.DefaultAvatar,
                Header = mapper.DefaultHeader,
                HeaderStatic = mapper.DefaultHeader,
                Locked = false,
                Bot = false,
                Discoverable = false,
                Indexable = false,
                Suspended = true,
            };
        }

        var movedTo = account.Local?.MovedTo ?? account.Remote?.MovedTo;
        var moved = movedTo is null ? null : await directory.GetByActorIdAsync(movedTo, cancellationToken);
        return shown with
        {
            Moved = moved is null ? null : mapper.ToAccount(moved),
            Limited = severity == DomainSeverity.Silence ? true : null,
        };
    }
}
