using ServerlessFedi.Accounts;
using ServerlessFedi.Cards;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.MastodonApi.Entities;
using DomainStatus = ServerlessFedi.Statuses.Status;

namespace ServerlessFedi.MastodonApi.Mapping;

/// <summary>
/// Statuses onto the wire (docs: entities/Status, StatusEdit, StatusSource) as anyone sees them: no viewer marks, no
/// filters (<see cref="StatusRenderer"/> adds those for a viewer). <c>poll</c> carries the poll with zero counts (a new
/// poll's; the renderer fills the tally and the viewer's votes); <c>card</c> is the stored card of its first link (<see cref="PreviewCardMapper"/>), its image dropped once past its retention (<see cref="CardImages"/>).
/// Counts (<c>replies_count</c>, <c>reblogs_count</c>, <c>favourites_count</c>) are exact in storage; a page shows the
/// row as this process read it at most <see cref="Statuses.StatusStore.RecentLifetime"/> ago (a count written in this
/// process shows at once, one written on another instance within that bound).
/// </summary>
public sealed class StatusMapper(InstanceUrls urls, AccountMapper accounts, MediaAttachmentMapper media, PollMapper polls, CardImages cardImages)
{
    public Status ToStatus(DomainStatus s, LocalAccount author, bool includeSourceText = false)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(author);
        return ToStatus(s, accounts.ToAccount(author), urls.Status(author.Username, s.Id), urls.StatusPage(author.Username, s.Id), includeSourceText);
    }

    /// <summary>A local or remote account as the API shows it.</summary>
    public Account ToAccount(AccountRef account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account.Local is { } local ? accounts.ToAccount(local) : accounts.ToAccount(account.Remote!);
    }

    /// <summary>A status by a local or remote author: ours at our URLs, a remote one at the URLs it came with.</summary>
    public Status ToStatus(DomainStatus s, AccountRef author)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(author);
        return author.Local is { } local ? ToStatus(s, local) : ToStatus(s, accounts.ToAccount(author.Remote!), s.Uri ?? "", s.Url ?? s.Uri ?? "");
    }

    /// <summary>
    /// As <see cref="ToStatus(DomainStatus, AccountRef)"/> with the author's <paramref name="account"/> mapped already
    /// (<see cref="ToAccount(AccountRef)"/>): a page maps each author once, however many of its statuses they wrote.
    /// </summary>
    public Status ToStatus(DomainStatus s, AccountRef author, Account account)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(author);
        return author.Local is { } local
            ? ToStatus(s, account, urls.Status(local.Username, s.Id), urls.StatusPage(local.Username, s.Id))
            : ToStatus(s, account, s.Uri ?? "", s.Url ?? s.Uri ?? "");
    }

    /// <summary>A status with its author already mapped; <paramref name="uri"/>/<paramref name="url"/> as published.</summary>
    public Status ToStatus(DomainStatus s, Account account, string uri, string? url, bool includeSourceText = false)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new Status
        {
            Id = s.Id,
            Uri = uri,
            Url = url,
            CreatedAt = s.CreatedAt,
            Account = account,
            Content = s.ContentHtml,
            Visibility = WireNames.Lower(s.Visibility),
            Sensitive = s.Sensitive,
            SpoilerText = s.SpoilerText,
            MediaAttachments = [.. s.Media.Select(media.ToMediaAttachment), .. s.RemoteMedia.Select((m, i) => media.ToMediaAttachment(s.Id, i, m))],
            Application = s.ApplicationName is null ? null : new StatusApplication(s.ApplicationName, null),
            Mentions = [.. s.Mentions.Select(m => new Mention(m.AccountId ?? RemoteAccountIds.For(m.ActorId), m.Username, m.ProfileUrl, m.Domain is null ? m.Username : $"{m.Username}@{m.Domain}"))],
            Tags = [.. s.Tags.Select(t => new StatusTag(t, urls.Tag(t)))],
            Emojis = [.. s.Emojis.Select(e => Emoji(s.Id, e))],
            ReblogsCount = s.ReblogsCount,
            FavouritesCount = s.FavouritesCount,
            RepliesCount = s.RepliesCount,
            InReplyToId = s.InReplyToId,
            InReplyToAccountId = s.InReplyToAccountId,
            Language = s.Language,
            EditedAt = s.EditedAt,
            Text = includeSourceText ? s.Text : null,
            Poll = s.Poll is { } poll ? polls.ToPoll(s.Id, poll, null, null, isAuthor: false) : null,
            Card = s.Card is { } card ? PreviewCardMapper.ToPreviewCard(cardImages.Shown(card), urls) : null,
            Quote = s.Quote is { } quote ? new Quote { State = StateName(quote.State) } : null,
            QuotesCount = s.QuotesCount,
            QuoteApproval = ToQuoteApproval(s),
        };
    }

    /// <summary>The API's name of a quote state (docs: entities/Quote#state).</summary>
    public static string StateName(Quotes.QuoteState state) => WireNames.Lower(state);

    /// <summary>
    /// <c>quote_approval</c> as anyone sees it (<see cref="Quotes.QuotePolicies.CanQuoteOf"/>): a local status's policy,
    /// a remote status's <c>canQuote</c> (none: nobody, as Mastodon 4.5). <c>current_user</c> is what the policy says
    /// without knowing who asks (a followers or following policy: <c>unknown</c>); <see cref="StatusRenderer"/>
    /// answers it for a signed-in viewer.
    /// </summary>
    public static QuoteApproval ToQuoteApproval(DomainStatus s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var policy = Quotes.QuotePolicies.CanQuoteOf(s);
        var current = Quotes.QuotePolicies.Decide(s, isAuthor: false, followsAuthor: null, followedByAuthor: null);
        return new QuoteApproval(Quotes.QuotePolicies.Names(policy.Automatic), Quotes.QuotePolicies.Names(policy.Manual), Quotes.QuotePolicies.Name(current));
    }

    /// <summary>One version of a status's history, by <paramref name="account"/> (the author as shown on the status).</summary>
    public StatusEdit ToStatusEdit(Statuses.StatusVersion v, Account account)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new StatusEdit
        {
            Content = v.ContentHtml,
            SpoilerText = v.SpoilerText,
            Sensitive = v.Sensitive,
            CreatedAt = v.CreatedAt,
            Account = account,
            MediaAttachments = [.. v.Media.Select(media.ToMediaAttachment)],
        };
    }

    public static StatusSource ToSource(DomainStatus s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new StatusSource(s.Id, s.Text, s.SpoilerText);
    }

    /// <summary>A custom emoji of a remote status, its image served through this instance when it proxies remote media.</summary>
    private CustomEmoji Emoji(string statusId, Statuses.RemoteEmoji e)
    {
        var shown = urls.RemoteMedia(Media.RemoteMediaOwner.Statuses, statusId, e.Url) ?? e.Url;
        return new CustomEmoji(e.Shortcode, shown, shown, false);
    }
}
