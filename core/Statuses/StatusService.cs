using System.Text.RegularExpressions;
using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Configuration;
using ServerlessFedi.Content;
using ServerlessFedi.Federation;
using ServerlessFedi.Storage;

namespace ServerlessFedi.Statuses;

/// <summary>
/// Posting and deleting statuses: validate, format, guard, store, count, then enqueue the federation (write, then enqueue).
/// Storage for a post: 2 inserts + counter (1 read + 1 merge) + 1-2 timeline upserts (+1 per hashtag when public) + 1 queue
/// send + the guard (1 queue send + 1 queue delete); + 2 reads and 2 writes per local mention; + 3 for the parent's reply count.
/// </summary>
public sealed partial class StatusService(
    StatusStore statuses,
    AccountStore accounts,
    StatusFormatter formatter,
    NoteMapper notes,
    ActivityPublisher publisher,
    AccountResolver remoteAccounts,
    SnowflakeIds ids,
    InstanceUrls urls,
    TimeProvider time,
    TimelineStore timelines,
    NotificationStore notifications,
    AccountDirectory directory,
    ServerlessFedi.Media.MediaService media,
    StatusEditStore edits) : IStatusCompletion
{
    public const int MaxCharacters = 500;

    /// <summary>Remote handles a post or edit may have resolved over the network; handles resolved before cost no request and do not count.</summary>
    public const int MaxRemoteMentions = 10;

    public async Task<StatusResult> CreateAsync(LocalAccount author, NewStatus request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(author);
        ArgumentNullException.ThrowIfNull(request);
        var text = (request.Text ?? "").Trim();
        var spoiler = (request.SpoilerText ?? "").Trim();
        if (Validate(text, spoiler, request.MediaIds is { Count: > 0 }, request.Language) is { } invalid)
        {
            return StatusResult.Invalid(invalid);
        }

        Status? parent = null;
        if (request.InReplyToId is { Length: > 0 } parentId)
        {
            parent = await statuses.GetAsync(parentId, cancellationToken);
            if (parent is null || parent.DeletedAt is not null || !NoteMapper.IsPubliclyReadable(parent) && parent.AccountId != author.Id)
            {
                return StatusResult.NotFound("Record not found");
            }
        }

        var (formatted, mentions) = await FormatAsync(text, cancellationToken);
        var statusId = ids.Next();
        var (attachments, mediaError) = await media.AttachAsync(author, request.MediaIds, statusId, cancellationToken);
        if (mediaError is not null)
        {
            return StatusResult.Invalid(mediaError);
        }

        var status = new Status
        {
            Id = statusId,
            AccountId = author.Id,
            Text = text,
            ContentHtml = formatted.Html,
            SpoilerText = spoiler,
            Sensitive = request.Sensitive || spoiler.Length > 0,
            Visibility = request.Visibility,
            Language = string.IsNullOrEmpty(request.Language) ? null : request.Language,
            InReplyToId = parent?.Id,
            InReplyToUri = parent is null ? null : parent.Uri ?? urls.Status((await accounts.GetByIdAsync(parent.AccountId, cancellationToken))?.Username ?? "", parent.Id),
            InReplyToAccountId = parent?.AccountId,
            Mentions = mentions.DistinctBy(m => m.ActorId).ToList(),
            Tags = formatted.Tags,
            CreatedAt = time.GetUtcNow(),
            ApplicationName = request.ApplicationName,
            Media = attachments,
        };

        // The guard goes first: from here on a dying process delays the post, it does not lose it.
        var guard = await publisher.GuardStatusAsync(author.Id, status.Id, cancellationToken);
        await statuses.AddAsync(status, cancellationToken);
        await accounts.AdjustCountersAsync(author.Id, statuses: +1, lastStatusAt: status.CreatedAt, cancellationToken: cancellationToken);
        if (parent is not null)
        {
            await statuses.AdjustCountsAsync(parent.Id, replies: +1, cancellationToken: cancellationToken);
        }

        await DistributeAsync(status, author, parent, cancellationToken);
        await publisher.ReleaseAsync(guard, cancellationToken);
        return StatusResult.Ok(status);
    }

    /// <summary>
    /// Finishes a stored post whose request died before releasing its guard: everything <see cref="DistributeAsync"/>
    /// does, again (each step is idempotent; remote servers drop a repeated Create by its id). A post that was never
    /// stored (the request failed before, and the app saw the error) or was deleted since is left alone. The counters
    /// moved before the crash stay as they are (they are not recounted).
    /// </summary>
    public async Task CompleteAsync(string statusId, CancellationToken cancellationToken)
    {
        var status = await statuses.GetAsync(statusId, cancellationToken);
        if (status is not { IsLocal: true, DeletedAt: null } || await accounts.GetByIdAsync(status.AccountId, cancellationToken) is not { } author)
        {
            return;
        }

        var parent = status.InReplyToId is { } parentId ? await statuses.GetAsync(parentId, cancellationToken) : null;
        await DistributeAsync(status, author, parent, cancellationToken);
    }

    /// <summary>Media out of the clean-up's index, timelines, local mentions, then the fan-out: all idempotent, in that order.</summary>
    private async Task DistributeAsync(Status status, LocalAccount author, Status? parent, CancellationToken cancellationToken)
    {
        await media.CompleteAttachAsync(status.Media, cancellationToken);
        await timelines.AddAsync(TimelineStore.Home(author.Id), status.Id, author.Id, cancellationToken);
        if (status.Visibility == Visibility.Public)
        {
            await timelines.AddAsync(TimelineStore.PublicLocal, status.Id, author.Id, cancellationToken);
            foreach (var tag in status.Tags)
            {
                await timelines.AddAsync(TimelineStore.Tag(tag), status.Id, author.Id, cancellationToken);
            }
        }

        // Local mentions are delivered here: a notification, and direct messages in the recipient's home timeline.
        foreach (var mention in status.Mentions.Where(m => m.AccountId is not null && m.AccountId != author.Id))
        {
            await notifications.AddAsync(mention.AccountId!, NotificationType.Mention, urls.Actor(author.Username), status.Id, status.Id, cancellationToken);
            if (status.Visibility == Visibility.Direct)
            {
                await timelines.AddAsync(TimelineStore.Home(mention.AccountId!), status.Id, author.Id, cancellationToken);
            }
        }

        // The author of a remote post we reply to gets the reply even without following us.
        var inboxes = RemoteInboxes(status);
        if (parent is { IsLocal: false } && status.Visibility != Visibility.Direct && await directory.GetByApiIdAsync(parent.AccountId, cancellationToken) is { DeliveryInbox: { } parentInbox } && !inboxes.Contains(parentInbox))
        {
            inboxes.Add(parentInbox);
        }

        await publisher.PublishStatusAsync(author, status, notes.Create(status, author), inboxes, skipFollowers: status.Visibility == Visibility.Direct, cancellationToken);
    }

    /// <summary>Deletes the author's own status; answers the deleted status (its text lets apps offer "delete and redraft").</summary>
    public async Task<StatusResult> DeleteAsync(LocalAccount author, string statusId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(author);
        var status = await statuses.GetAsync(statusId, cancellationToken);
        if (status is null || status.DeletedAt is not null || status.AccountId != author.Id)
        {
            return StatusResult.NotFound("Record not found");
        }

        var deletedAt = time.GetUtcNow();
        await statuses.MarkDeletedAsync(status, deletedAt, cancellationToken);

        // Media an edit removed is still held by an older version: it goes with the status too (1 range query when edited).
        var held = status.Media.ToList();
        if (status.EditedAt is not null)
        {
            foreach (var version in await edits.ListAsync(status.Id, cancellationToken))
            {
                held.AddRange(version.Media.Where(m => held.TrueForAll(h => h.Id != m.Id)));
            }
        }

        await media.DeleteForStatusAsync(status with { Media = held }, cancellationToken);
        await accounts.AdjustCountersAsync(author.Id, statuses: -1, cancellationToken: cancellationToken);
        if (status.InReplyToId is { } parentId)
        {
            await statuses.AdjustCountsAsync(parentId, replies: -1, cancellationToken: cancellationToken);
        }

        await publisher.PublishStatusAsync(author, status, notes.Delete(status, author), RemoteInboxes(status), skipFollowers: status.Visibility == Visibility.Direct, cancellationToken);
        return StatusResult.Ok(status with { DeletedAt = deletedAt });
    }

    /// <summary>The validation a new or edited status passes (Mastodon's wording); null when valid.</summary>
    internal static string? Validate(string text, string spoiler, bool hasMedia, string? language)
    {
        // Mastodon accepts a status without text when it carries media.
        if (text.Length == 0 && !hasMedia)
        {
            return "Validation failed: Text can't be blank";
        }

        if (StatusFormatter.CountCharacters(text) + StatusFormatter.CountCharacters(spoiler) > MaxCharacters)
        {
            return $"Validation failed: Text character limit of {MaxCharacters} exceeded";
        }

        return language is { Length: > 0 } lang && !LanguageCode().IsMatch(lang) ? $"Validation failed: '{lang}' is not a language code" : null;
    }

    /// <summary>
    /// Formats a status text with its mentions resolved (local accounts; remote ones from the handle cache, or through
    /// WebFinger for at most <see cref="MaxRemoteMentions"/> handles, attempts not successes, within
    /// <see cref="AccountResolver.RequestBudget"/> of starting); shared by posting and editing. A mention left
    /// unresolved stays plain text.
    /// </summary>
    internal async Task<(FormattedStatus Formatted, List<StatusMention> Mentions)> FormatAsync(string text, CancellationToken cancellationToken)
    {
        // First pass collects the mentions the text asks for; they are resolved, then the text is formatted with them.
        var requested = new List<(string User, string? Domain)>();
        formatter.Format(text, (user, domain) => { requested.Add((user, domain)); return null; });
        var resolved = new Dictionary<string, MentionTarget>(StringComparer.OrdinalIgnoreCase);
        var mentions = new List<StatusMention>();
        var lookups = 0;
        var started = time.GetUtcNow();
        foreach (var (user, domain) in requested.Distinct())
        {
            var local = domain is null || string.Equals(domain, urls.AccountDomain, StringComparison.OrdinalIgnoreCase) || string.Equals(domain, urls.WebDomain, StringComparison.OrdinalIgnoreCase);
            if (!local)
            {
                var remote = await remoteAccounts.FindByHandleAsync(user, domain!, cancellationToken);
                if (remote is null)
                {
                    // Each lookup is network work done for this one request: count attempts, whatever they find.
                    if (lookups >= MaxRemoteMentions || time.GetUtcNow() - started >= AccountResolver.RequestBudget)
                    {
                        continue;
                    }

                    lookups++;
                    remote = await remoteAccounts.ResolveHandleAsync(user, domain!, cancellationToken);
                }

                if (remote is null)
                {
                    continue;
                }

                var profile = remote.Url ?? remote.Id;
                resolved[Key(user, domain)] = new MentionTarget(remote.PreferredUsername ?? user, domain, remote.Id, profile);
                mentions.Add(new StatusMention(remote.PreferredUsername ?? user, domain!.ToLowerInvariant(), remote.Id, profile, remote.DeliveryInbox, remote.AccountId));
                continue;
            }

            var account = await accounts.GetByUsernameAsync(user, cancellationToken);
            if (account is null)
            {
                continue;
            }

            resolved[Key(user, domain)] = new MentionTarget(account.Username, null, urls.Actor(account.Username), urls.Profile(account.Username));
            mentions.Add(new StatusMention(account.Username, null, urls.Actor(account.Username), urls.Profile(account.Username), null, account.Id));
        }

        return (formatter.Format(text, (user, domain) => resolved.GetValueOrDefault(Key(user, domain))), mentions);
    }

    internal static List<string> RemoteInboxes(Status status) =>
        status.Mentions.Select(m => m.Inbox).OfType<string>().Distinct(StringComparer.Ordinal).ToList();

    private static string Key(string user, string? domain) => domain is null ? user : $"{user}@{domain}";

    [GeneratedRegex("^[a-z]{2,3}$")]
    private static partial Regex LanguageCode();
}
