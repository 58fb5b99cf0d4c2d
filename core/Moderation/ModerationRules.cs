namespace ServerlessFedi.Moderation;

/// <summary>
/// The operator's domain blocks and account actions at one moment, answering per actor or host. A block covers the domain
/// and every subdomain (Mastodon's <c>DomainBlock.rule_for</c> walks the host's parent domains the same way); an account
/// takes the stronger of its own action and its server's block.
/// </summary>
public sealed class ModerationRules
{
    private readonly Dictionary<string, InstanceDomainBlock> _domains;
    private readonly Dictionary<string, ModeratedAccount> _accounts;

    public ModerationRules(IEnumerable<InstanceDomainBlock> domains, IEnumerable<ModeratedAccount> accounts)
    {
        ArgumentNullException.ThrowIfNull(domains);
        ArgumentNullException.ThrowIfNull(accounts);
        _domains = domains.ToDictionary(d => d.Domain, StringComparer.Ordinal);
        _accounts = accounts.ToDictionary(a => a.ActorId, StringComparer.Ordinal);
    }

    public static ModerationRules Empty { get; } = new([], []);

    /// <summary>The blocks, in domain order.</summary>
    public IReadOnlyList<InstanceDomainBlock> DomainBlocks => [.. _domains.Values.OrderBy(d => d.Domain, StringComparer.Ordinal)];

    /// <summary>The silenced and suspended accounts, in handle order.</summary>
    public IReadOnlyList<ModeratedAccount> Accounts => [.. _accounts.Values.OrderBy(a => a.Acct, StringComparer.Ordinal)];

    /// <summary>The block that covers <paramref name="host"/> (itself or its nearest blocked parent domain), or null.</summary>
    public InstanceDomainBlock? BlockOf(string? host)
    {
        if (string.IsNullOrEmpty(host) || _domains.Count == 0)
        {
            return null;
        }

        var candidate = host.ToLowerInvariant();
        while (true)
        {
            if (_domains.TryGetValue(candidate, out var block))
            {
                return block;
            }

            var dot = candidate.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0 || System.Net.IPAddress.TryParse(host, out _))
            {
                return null;
            }

            candidate = candidate[(dot + 1)..];
        }
    }

    /// <summary>
    /// The block that covers the server at <paramref name="url"/>: one of exactly its <c>host:port</c> (a block may name a
    /// port, to single out one server of a shared host), else one of its host or a parent domain, whatever the port.
    /// </summary>
    public InstanceDomainBlock? BlockOf(Uri? url)
    {
        if (url is not { IsAbsoluteUri: true } || _domains.Count == 0)
        {
            return null;
        }

        var host = url.IdnHost.ToLowerInvariant();
        return !url.IsDefaultPort && _domains.TryGetValue($"{host}:{url.Port}", out var exact) ? exact : BlockOf(host);
    }

    /// <summary>Whether the server at <paramref name="url"/> is suspended: nothing is fetched from or sent to it.</summary>
    public bool SuspendsServerOf(Uri? url) => BlockOf(url)?.Severity == DomainSeverity.Suspend;

    /// <summary>The stronger of the actor's own action and its server's block.</summary>
    public DomainSeverity SeverityOf(string? actorId)
    {
        if (actorId is null)
        {
            return DomainSeverity.Noop;
        }

        var domain = BlockOfActor(actorId)?.Severity ?? DomainSeverity.Noop;
        var own = _accounts.TryGetValue(actorId, out var account) ? account.Severity : DomainSeverity.Noop;
        return domain > own ? domain : own;
    }

    /// <summary>Refused entirely: its activities, its documents, its posts and its follows.</summary>
    public bool Suspends(string? actorId) => SeverityOf(actorId) == DomainSeverity.Suspend;

    /// <summary>Limited (silenced) or suspended: out of public timelines, no notifications to accounts that do not follow it.</summary>
    public bool Limits(string? actorId) => SeverityOf(actorId) >= DomainSeverity.Silence;

    /// <summary>Its server's media is not shown as media (Mastodon's <c>reject_media</c>).</summary>
    public bool RejectsMediaOf(string? actorId) => BlockOfActor(actorId)?.RejectMedia == true;

    /// <summary>Its server's reports are ignored (Mastodon's <c>reject_reports</c>).</summary>
    public bool RejectsReportsOf(string? actorId) => BlockOfActor(actorId) is { } block && (block.RejectReports || block.Severity == DomainSeverity.Suspend);

    private InstanceDomainBlock? BlockOfActor(string? actorId) => Uri.TryCreate(actorId, UriKind.Absolute, out var url) ? BlockOf(url) : null;
}
