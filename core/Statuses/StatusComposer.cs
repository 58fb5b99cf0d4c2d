using System.Text.RegularExpressions;
using ServerlessFedi.Accounts;
using ServerlessFedi.Configuration;
using ServerlessFedi.Content;
using ServerlessFedi.Federation;

namespace ServerlessFedi.Statuses;

/// <summary>
/// The text of a new or edited local status: validated with Mastodon's limits and wording, and formatted with its mentions
/// resolved (local accounts: 1-2 reads each; remote ones from the handle cache, at most <see cref="MaxRemoteMentions"/> through WebFinger).
/// </summary>
public sealed partial class StatusComposer(StatusFormatter formatter, AccountResolver remoteAccounts, AccountStore accounts, InstanceUrls urls, TimeProvider time, StatusStore statuses, StatusVisibility visibility, Quotes.QuoteApprovals approvals, Quotes.QuotePermissions permissions)
{
    /// <summary>
    /// The quote of <paramref name="quotedId"/> that <paramref name="author"/>'s new status <paramref name="statusId"/>
    /// makes (Mastodon 4.5's <c>quoted_status_id</c>): a status it may see, public or unlisted unless its own. A local
    /// status's policy is applied at once (accepted, with the authorization's URL, or refused); a remote one is refused
    /// when its <c>canQuote</c> denies the author (<see cref="Quotes.QuotePermissions"/>; a note without one denies
    /// everyone, as Mastodon 4.5), else pending until its author answers our QuoteRequest. Storage: 1 point read + the
    /// visibility check + the policy's reads.
    /// </summary>
    public async Task<(Quotes.StatusQuote? Quote, StatusResult? Refusal)> QuoteAsync(LocalAccount author, string quotedId, string statusId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(author);
        var quoted = await ReplyTargetAsync(author, quotedId, cancellationToken);
        if (quoted is null || quoted.ReblogOfId is not null || quoted.DeletedAt is not null)
        {
            return (null, StatusResult.NotFound("Record not found"));
        }

        var own = quoted.AccountId == author.Id;
        if (!quoted.IsLocal)
        {
            return await permissions.DecideAsync(quoted, author, cancellationToken) != Quotes.QuoteDecision.Denied
                ? (new Quotes.StatusQuote { QuotedUri = quoted.Uri!, QuotedStatusId = quoted.Id, QuotedAccountId = quoted.AccountId }, null)
                : (null, StatusResult.Invalid("Validation failed: Quoted status is not quotable"));
        }

        var quotedAuthor = await accounts.GetByIdAsync(quoted.AccountId, cancellationToken);
        if (quotedAuthor is null || !own && !await approvals.AllowsAsync(quotedAuthor, quoted, urls.Actor(author.Username), cancellationToken))
        {
            return (null, StatusResult.Invalid("Validation failed: Quoted status is not quotable"));
        }

        var authorizationId = Storage.StorageKeys.QuoteAuthorizationId(urls.Status(author.Username, statusId));
        return (new Quotes.StatusQuote
        {
            QuotedUri = urls.Status(quotedAuthor.Username, quoted.Id),
            QuotedStatusId = quoted.Id,
            QuotedAccountId = quoted.AccountId,
            State = Quotes.QuoteState.Accepted,
            AuthorizationUri = urls.QuoteAuthorization(quotedAuthor.Username, quoted.Id, authorizationId),
        }, null);
    }

    /// <summary>
    /// The status <paramref name="author"/> replies to: any status it may see (a followers-only post of an account it
    /// follows, a direct message it was sent), as Mastodon; null when there is none or it may not see it. 1 point read
    /// (+ the visibility check's reads for a private status of another author).
    /// </summary>
    public async Task<Status?> ReplyTargetAsync(LocalAccount author, string parentId, CancellationToken cancellationToken)
    {
        var parent = await statuses.GetAsync(parentId, cancellationToken);
        return parent is not null && await visibility.CanSeeAsync(parent, author, cancellationToken) ? parent : null;
    }

    public const int MaxCharacters = 500;

    /// <summary>Remote handles a post or edit may have resolved over the network; handles resolved before cost no request and do not count.</summary>
    public const int MaxRemoteMentions = 10;

    /// <summary>The validation a new or edited status passes (Mastodon's wording); null when valid.</summary>
    public static string? Validate(string text, string spoiler, bool hasMedia, string? language)
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
    public async Task<(FormattedStatus Formatted, List<StatusMention> Mentions)> FormatAsync(string text, CancellationToken cancellationToken)
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

    private static string Key(string user, string? domain) => domain is null ? user : $"{user}@{domain}";

    [GeneratedRegex("^[a-z]{2,3}$")]
    private static partial Regex LanguageCode();
}
