using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Statuses;

namespace ServerlessFedi.Moderation;

/// <summary>
/// The operator's moderation actions (<c>admin domains</c>, <c>admin accounts</c>, <c>admin statuses</c>). A block or an
/// account action is one row, applied everywhere through <see cref="ModerationPolicy"/> and lifted by removing it. A
/// suspension also severs the follows between local accounts and the suspended actors, both ways (requests included),
/// on the accounts queue (<see cref="FollowSeverance"/>); lifting it does not restore them, as in Mastodon (whose
/// "severed relationships" are not re-created either), but new follows are accepted again.
/// Storage: a block or action 1 upsert (+ 1 queue send for a suspension; the severing's cost: <see cref="FollowSeverance"/>).
/// </summary>
public sealed class ModerationService(
    ModerationStore store,
    ModerationPolicy policy,
    WorkQueue queue,
    StatusStore statuses,
    RemoteStatusIngest ingest,
    InstanceUrls urls,
    TimeProvider time)
{
    public const int MaxCommentLength = 1000;

    /// <summary>Blocks <paramref name="domain"/> and its subdomains, replacing an earlier block of it (docs: methods/admin/domain_blocks#create).</summary>
    public async Task<ModerationResult> BlockDomainAsync(string domain, DomainSeverity severity, bool rejectMedia, bool rejectReports, string? publicComment, CancellationToken cancellationToken)
    {
        if (Normalize(domain) is not { } host)
        {
            return ModerationResult.Refused($"'{domain}' is not a domain name");
        }

        if (IsOwnOrParentOfOwn(host))
        {
            return ModerationResult.Refused($"{host} is this server's own domain");
        }

        if (publicComment is { Length: > MaxCommentLength })
        {
            return ModerationResult.Refused($"the public comment is longer than {MaxCommentLength} characters");
        }

        var block = new InstanceDomainBlock(host, severity, rejectMedia, rejectReports, string.IsNullOrWhiteSpace(publicComment) ? null : publicComment.Trim(), time.GetUtcNow());
        await store.PutDomainBlockAsync(block, cancellationToken);
        policy.Invalidate();
        if (severity != DomainSeverity.Suspend)
        {
            return new ModerationResult(null);
        }

        await queue.SendSeveranceAsync(new SeveranceMessage(host, null), cancellationToken);
        return new ModerationResult(null, SeveranceQueued: true);
    }

    /// <summary>Lifts the block; false when there was none.</summary>
    public async Task<bool> UnblockDomainAsync(string domain, CancellationToken cancellationToken)
    {
        var removed = Normalize(domain) is { } host && await store.RemoveDomainBlockAsync(host, cancellationToken);
        policy.Invalidate();
        return removed;
    }

    /// <summary>Silences or suspends a remote account (by its actor id; <paramref name="acct"/> is how it was named).</summary>
    public async Task<ModerationResult> ActOnAccountAsync(string actorId, string acct, DomainSeverity severity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actorId);
        if (urls.IsOwn(actorId))
        {
            return ModerationResult.Refused("local accounts are managed with 'admin account'");
        }

        if (severity == DomainSeverity.Noop)
        {
            return ModerationResult.Refused("an account is silenced or suspended");
        }

        await store.PutAccountAsync(new ModeratedAccount(actorId, acct, severity, time.GetUtcNow()), cancellationToken);
        policy.Invalidate();
        if (severity != DomainSeverity.Suspend)
        {
            return new ModerationResult(null);
        }

        await queue.SendSeveranceAsync(new SeveranceMessage(null, actorId), cancellationToken);
        return new ModerationResult(null, SeveranceQueued: true);
    }

    /// <summary>Lifts an account's silence or suspension; false when it had none.</summary>
    public async Task<bool> LiftAccountActionAsync(string actorId, CancellationToken cancellationToken)
    {
        var removed = await store.RemoveAccountAsync(actorId, cancellationToken);
        policy.Invalidate();
        return removed;
    }

    /// <summary>
    /// Removes a remote status (by its API id or ActivityPub id): it becomes a tombstone, as when its author deletes it.
    /// Local statuses are their authors' to delete. Not reversible (Mastodon's removal is not either).
    /// </summary>
    public async Task<ModerationResult> RemoveStatusAsync(string idOrUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(idOrUri);
        var id = idOrUri.All(char.IsAsciiDigit) ? idOrUri : await statuses.GetIdByUriAsync(idOrUri, cancellationToken);
        var status = id is null ? null : await statuses.GetAsync(id, cancellationToken);
        if (status is null || status.DeletedAt is not null)
        {
            return ModerationResult.Refused($"no status '{idOrUri}'");
        }

        if (status.IsLocal)
        {
            return ModerationResult.Refused("the status is local: its author deletes it (or 'admin account delete')");
        }

        await ingest.RemoveAsync(status, cancellationToken);
        return new ModerationResult(null);
    }

    /// <summary>
    /// A lower-cased domain (IDN as punycode), optionally with a port (<c>host:port</c>: that server only, e.g. one of
    /// several on a shared host), or null when <paramref name="domain"/> is neither.
    /// </summary>
    public static string? Normalize(string? domain)
    {
        var text = (domain ?? "").Trim();
        var colon = text.LastIndexOf(':');
        if (colon > 0 && !text.Contains('[', StringComparison.Ordinal) && text.IndexOf(':', StringComparison.Ordinal) == colon)
        {
            return int.TryParse(text[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
                && DomainBlockStore.Normalize(text[..colon]) is { } hostOnly
                ? $"{hostOnly}:{port}"
                : null;
        }

        return DomainBlockStore.Normalize(text);
    }

    /// <summary>Our own web or account domain, or a parent of it (blocking it would refuse our own actors).</summary>
    private bool IsOwnOrParentOfOwn(string blocked)
    {
        var own = new[] { urls.WebDomain, urls.WebDomain.Split(':')[0], urls.AccountDomain };
        return own.Any(o => o == blocked || o.EndsWith("." + blocked, StringComparison.Ordinal));
    }
}
